package dev.datamigrations.processor.internal;

import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** Writes the {@code META-INF/services} entry through which {@link java.util.ServiceLoader} finds the registry. */
public final class ServiceFile {
  public static final String PATH = "META-INF/services/" + Names.MIGRATION_CATALOG;

  private ServiceFile() {}

  /** Writes {@code registryName} as the one implementation of {@code MigrationCatalog}. */
  public static void write(Filer filer, String registryName, Element... originating) throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH, originating);
    try (Writer writer = file.openWriter()) {
      writer.write(registryName);
      writer.write('\n');
    }
  }
}
