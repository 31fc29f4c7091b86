package dev.datamigrations.cli;

import java.util.ServiceLoader;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's own SLF4J provider, used only when the class path has none: warnings and
 * errors go to standard error ({@code info} too with {@code --verbose}) instead of SLF4J's "No
 * SLF4J providers were found" warning and silence. Chosen through the {@code slf4j.provider} system
 * property (SLF4J 2.0.9+), never listed in {@code META-INF/services}, so an application that brings
 * its own binding keeps it. This class names no SLF4J 2 type, so that it loads on an application's
 * SLF4J 1.x class path too, where it does nothing: the provider is {@link Provider}.
 */
public final class CliLogging {
  static final String PROVIDER_PROPERTY = "slf4j.provider";

  /**
   * SLF4J reports at INFO that it loads a provider named by the property; the command line wants no
   * such line.
   */
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  /** SLF4J 2's provider interface; absent from SLF4J 1.x, which finds its binding otherwise. */
  private static final String PROVIDER_INTERFACE = "org.slf4j.spi.SLF4JServiceProvider";

  private static volatile boolean verbose;

  private CliLogging() {}

  /**
   * Makes SLF4J use this provider if no other is visible and none was chosen; sets whether {@code
   * info} is printed. Call before anything logs: SLF4J picks its provider once, at the first
   * logger. Does nothing on SLF4J 1.x.
   */
  static void install(boolean verboseOutput) {
    verbose = verboseOutput;
    if (System.getProperty(PROVIDER_PROPERTY) != null) {
      return;
    }
    ClassLoader loader = CliLogging.class.getClassLoader();
    try {
      Class.forName(PROVIDER_INTERFACE, false, loader);
    } catch (ClassNotFoundException e) {
      return; // SLF4J 1.x: its own binding (or its one-line warning), and no provider interface to
      // implement
    }
    if (ServiceLoader.load(SLF4JServiceProvider.class, loader).findFirst().isEmpty()) {
      System.setProperty(PROVIDER_PROPERTY, Provider.class.getName());
      if (System.getProperty(VERBOSITY_PROPERTY) == null) {
        System.setProperty(VERBOSITY_PROPERTY, "WARN");
      }
    }
  }

  /** The SLF4J 2 provider: loggers that print to standard error. */
  public static final class Provider implements SLF4JServiceProvider {
    private final ILoggerFactory loggerFactory = StderrLogger::new;
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

    /** Public for SLF4J, which creates it by reflection. */
    public Provider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
      return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
      return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
      return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
      return "2.0.99";
    }

    @Override
    public void initialize() {}
  }

  /** Prints {@code [WARN] message} to standard error, as it is at the time of the call. */
  private static final class StderrLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    StderrLogger(String name) {
      this.name = name;
    }

    private static boolean enabled(Level level) {
      return level.toInt() >= (verbose ? Level.INFO : Level.WARN).toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String message, Object[] arguments, Throwable throwable) {
      if (!enabled(level)) {
        return;
      }
      System.err.println(
          "[" + level + "] " + MessageFormatter.basicArrayFormat(message, arguments));
      if (throwable != null && verbose) {
        throwable.printStackTrace(System.err);
      }
    }

    // @formatter:off
    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
    // @formatter:on
  }
}
