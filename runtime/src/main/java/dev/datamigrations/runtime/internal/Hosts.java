package dev.datamigrations.runtime.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name of the machine the runner runs on, for the history's applied-by column. */
public final class Hosts {
  private static volatile String localHostName;

  private Hosts() {}

  /**
   * Returns the local host name; looked up once per JVM, since a lookup can take seconds on a bad
   * resolver.
   */
  public static String localHostName() {
    String name = localHostName;
    if (name == null) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "unknown host";
      }
      localHostName = name;
    }
    return name;
  }
}
