package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's headless Chromium through the system's chromedriver ({@code
 * /usr/bin/chromedriver}, never a downloaded one), with a fresh profile and nothing fetched from
 * the network. Without them the browser tests skip with a message, unless {@code CI=true}, which
 * makes them fail.
 */
final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Kept so that the level stays set: Selenium warns that it has no DevTools binding for this
   * Chromium, unused here.
   */
  private static final java.util.logging.Logger DEVTOOLS =
      java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

  private Chromium() {}

  static ChromeDriver start() throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String message =
          "SKIPPED: the console's browser tests need Debian's chromium and chromium-driver ("
              + BROWSER
              + ", "
              + DRIVER
              + "): apt-get install chromium chromium-driver";
      if (ConsoleDatabase.REQUIRED) {
        fail(
            message.substring("SKIPPED: ".length())
                + "; CI=true, so this fails instead of skipping");
      }
      System.out.println(message);
      assumeTrue(false, message);
    }
    DEVTOOLS.setLevel(java.util.logging.Level.SEVERE);
    Path profile = Files.createTempDirectory("console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
