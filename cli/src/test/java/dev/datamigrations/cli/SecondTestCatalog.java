package dev.datamigrations.cli;

import java.util.List;

/** A second catalog, to show that finding two on the class path is an error. */
public class SecondTestCatalog extends TestCatalog {
  public SecondTestCatalog() {
    super(List.of());
  }
}
