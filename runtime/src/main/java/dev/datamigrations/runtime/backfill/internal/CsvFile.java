package dev.datamigrations.runtime.backfill.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A CSV file checked and indexed once: its SHA-256, its header, how many data rows it has, and
 * where every {@value #CHECKPOINT}th row starts, so that a batch of rows is read from the nearest
 * checkpoint rather than from the start. RFC 4180 parsed on the bytes (UTF-8: a comma, quote or
 * line break byte is never part of another character), so a row's byte offset is exact; fields are
 * decoded strictly, a malformed one names its row.
 */
final class CsvFile {
  /** Every how many data rows the offset of a row is kept. */
  static final int CHECKPOINT = 256;

  /**
   * The most bytes one record may have: a quoted field that is never closed would otherwise be read
   * into memory to the end of the file.
   */
  static final int MAX_RECORD_BYTES = 16 << 20;

  private final Path path;
  private final boolean hasHeader;
  private final String sha256;
  private final List<String> header;
  private final long rows;
  private final long[] checkpoints;
  private final Stamp stamp;

  /**
   * What the file system says of the file, taken when it was read: a batch read later from a file
   * whose stamp differs (rewritten, replaced, grown, cut) would read other rows than the SHA-256
   * stated.
   */
  private record Stamp(long size, java.nio.file.attribute.FileTime modified, Object key) {
    static Stamp of(Path path) throws IOException {
      java.nio.file.attribute.BasicFileAttributes attributes =
          java.nio.file.Files.readAttributes(
              path, java.nio.file.attribute.BasicFileAttributes.class);
      return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }
  }

  private CsvFile(
      Path path,
      boolean hasHeader,
      String sha256,
      List<String> header,
      long rows,
      long[] checkpoints,
      Stamp stamp) {
    this.stamp = stamp;
    this.path = path;
    this.hasHeader = hasHeader;
    this.sha256 = sha256;
    this.header = header;
    this.rows = rows;
    this.checkpoints = checkpoints;
  }

  /** Thrown when the file cannot be read or is not valid CSV; the message says where. */
  static final class CsvException extends Exception {
    private static final long serialVersionUID = 1L;

    CsvException(String message) {
      super(message);
    }
  }

  /** Reads the whole file once: checks it, counts its rows, indexes them and hashes it. */
  static CsvFile open(Path path, boolean hasHeader) throws CsvException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Long> checkpoints = new ArrayList<>();
    List<String> header = List.of();
    long rows = 0;
    Stamp stamp;
    try {
      stamp = Stamp.of(path);
    } catch (IOException e) {
      throw new CsvException("could not read " + path + ": " + e);
    }
    try (InputStream in =
        new BufferedInputStream(
            new DigestInputStream(java.nio.file.Files.newInputStream(path), digest), 1 << 16)) {
      Parser parser = new Parser(in, 0);
      parser.skipByteOrderMark();
      int fields = -1;
      while (true) {
        long start = parser.recordStart();
        if (start < 0) {
          break;
        }
        List<String> record = parser.record(hasHeader && fields < 0 ? 0 : rows + 1);
        if (hasHeader && fields < 0) {
          header = List.copyOf(record);
          fields = record.size();
          continue;
        }
        if (fields >= 0 && record.size() != fields) {
          throw new CsvException(
              "row "
                  + (rows + 1)
                  + " has "
                  + record.size()
                  + " fields where the header has "
                  + fields);
        }
        if (rows % CHECKPOINT == 0) {
          checkpoints.add(start);
        }
        rows++;
      }
      in.transferTo(java.io.OutputStream.nullOutputStream());
      if (!stamp.equals(Stamp.of(path))) {
        throw new CsvException("it changed while it was read: give a file that nothing writes to");
      }
    } catch (IOException e) {
      throw new CsvException("could not read " + path + ": " + e);
    }
    long[] offsets = checkpoints.stream().mapToLong(Long::longValue).toArray();
    return new CsvFile(
        path, hasHeader, HexFormat.of().formatHex(digest.digest()), header, rows, offsets, stamp);
  }

  Path path() {
    return path;
  }

  boolean hasHeader() {
    return hasHeader;
  }

  String sha256() {
    return sha256;
  }

  List<String> header() {
    return header;
  }

  long rows() {
    return rows;
  }

  /** Returns the data rows {@code first} to {@code last} (from 1), both included. */
  List<List<String>> read(long first, long last) throws CsvException {
    int checkpoint = (int) ((first - 1) / CHECKPOINT);
    long row = (long) checkpoint * CHECKPOINT + 1;
    List<List<String>> read = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (!stamp.equals(Stamp.of(path))) {
        throw new CsvException(
            "the file changed since the backfill read it (its size, modification time or identity"
                + " differs), so its row numbers may mean other rows now. Put back the file it"
                + " started with (SHA-256 "
                + sha256
                + ") and resume; the batches done so far stay done");
      }
      channel.position(checkpoints[checkpoint]);
      Parser parser =
          new Parser(
              new BufferedInputStream(Channels.newInputStream(channel), 1 << 16),
              checkpoints[checkpoint]);
      for (; row <= last; row++) {
        if (parser.recordStart() < 0) {
          throw new CsvException(
              "the file ended before row " + row + ": it changed since the backfill started");
        }
        List<String> record = parser.record(row);
        if (row >= first) {
          read.add(record);
        }
      }
    } catch (IOException e) {
      throw new CsvException("could not read " + path + ": " + e);
    }
    return read;
  }

  /** RFC 4180 on bytes, with the offset of each record. */
  private static final class Parser {
    private final InputStream in;
    private long position;
    private int pushedBack = -2;

    Parser(InputStream in, long position) {
      this.in = in;
      this.position = position;
    }

    void skipByteOrderMark() throws IOException {
      if (peek() == 0xEF) {
        next();
        if (next() != 0xBB || next() != 0xBF) {
          throw new IOException("the file starts with a broken UTF-8 byte order mark");
        }
      }
    }

    /** Skips blank lines; returns the offset of the next record, or -1 at the end. */
    long recordStart() throws IOException {
      while (true) {
        int c = peek();
        if (c == -1) {
          return -1;
        } else if (c == '\r' || c == '\n') {
          next();
        } else {
          return position;
        }
      }
    }

    /** Reads one record; {@code row} names it in errors (0: the header). */
    List<String> record(long row) throws IOException, CsvException {
      List<String> fields = new ArrayList<>();
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      long limit = position + MAX_RECORD_BYTES;
      while (true) {
        int c = next();
        if (c == '"') {
          while (true) {
            if (position > limit) {
              throw tooLong(row);
            }
            c = next();
            if (c == -1) {
              throw new CsvException(where(row) + " has a quoted field that is never closed");
            } else if (c == '"') {
              if (peek() == '"') {
                next();
                field.write('"');
              } else {
                break;
              }
            } else {
              field.write(c);
            }
          }
          c = next();
          if (c != ',' && c != '\r' && c != '\n' && c != -1) {
            throw new CsvException(
                where(row)
                    + " has '"
                    + (char) c
                    + "' after a closing quote (a quote inside a quoted field is"
                    + " written twice: \"\")");
          }
        } else {
          while (c != ',' && c != '\r' && c != '\n' && c != -1) {
            if (position > limit) {
              throw tooLong(row);
            }
            field.write(c);
            c = next();
          }
        }
        fields.add(decode(field.toByteArray(), row));
        field.reset();
        if (c == ',') {
          continue;
        }
        if (c == '\r' && peek() == '\n') {
          next();
        }
        return fields;
      }
    }

    private static CsvException tooLong(long row) {
      return new CsvException(
          where(row)
              + " is longer than "
              + (MAX_RECORD_BYTES >> 20)
              + " MiB, the most one record may hold (a quoted field that is never closed?)");
    }

    private static String where(long row) {
      return row == 0 ? "the header" : "row " + row;
    }

    private static String decode(byte[] bytes, long row) throws CsvException {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new CsvException(where(row) + " is not valid UTF-8");
      }
    }

    private int peek() throws IOException {
      if (pushedBack == -2) {
        pushedBack = in.read();
      }
      return pushedBack;
    }

    private int next() throws IOException {
      int c = peek();
      pushedBack = -2;
      if (c != -1) {
        position++;
      }
      return c;
    }
  }
}
