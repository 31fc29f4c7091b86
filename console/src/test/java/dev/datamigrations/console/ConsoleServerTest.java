package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsoleServer} on the JDK's {@code HttpServer}: a few slow clients cannot take every
 * thread.
 */
class ConsoleServerTest {
  private static final String TOKEN = "server-token-0123456789abcdef";

  private Console console;

  @BeforeEach
  void setUp() throws Exception {
    ConsoleDatabase database = ConsoleDatabase.h2("console_server_" + System.nanoTime());
    database.reset("console_server", 0);
    console =
        Console.configure(database, new ConsoleCatalog(0))
            .table("console_server")
            .token(TOKEN)
            .build();
  }

  @AfterEach
  void tearDown() {
    console.close();
  }

  @Test
  void clientsThatNeverFinishTheirRequestAreCutOffAndOthersAreServed() throws Exception {
    long started = System.nanoTime();
    List<Socket> slow = new ArrayList<>();
    try (ConsoleServer server =
        ConsoleServer.start(
            console, new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1))) {
      // More half-sent requests than the server has threads: each holds a thread while it waits for
      // the rest.
      for (int i = 0; i < ConsoleServer.THREADS + 2; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        OutputStream out = socket.getOutputStream();
        out.write(
            (i % 2 == 0
                    ? "GET /api/overview HTTP/1.1\r\nHost: x\r\n"
                    : "POST /login HTTP/1.1\r\nHost: x\r\n" + "Content-Length: 100\r\n\r\nname=")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        slow.add(socket);
      }
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> served =
          client.send(
              HttpRequest.newBuilder(server.uri().resolve("api/overview"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, served.statusCode(), served.body());
      for (Socket socket : slow) {
        socket.setSoTimeout(10_000);
        try (InputStream in = socket.getInputStream()) {
          assertTrue(readsToEnd(in), "the server closed the half-sent request's connection");
        }
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
      System.out.printf(
          "ConsoleServerTest slow clients: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static boolean readsToEnd(InputStream in) throws Exception {
    try {
      while (in.read() >= 0) {
        // whatever the server answers before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true; // reset by the server: closed too
    }
  }
}
