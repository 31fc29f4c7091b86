package dev.datamigrations.processor.internal;

import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the {@code META-INF/services} entry through which {@link java.util.ServiceLoader} finds
 * the registry: a plain one as a {@code MigrationCatalog}, an injected one's {@code Factory} as a
 * {@code MigrationCatalogFactory}.
 */
public final class ServiceFile {
  public static final String PATH = "META-INF/services/" + Names.MIGRATION_CATALOG;
  public static final String FACTORY_PATH = "META-INF/services/" + Names.MIGRATION_CATALOG_FACTORY;

  private ServiceFile() {}

  /** Writes {@code binaryName} as the one implementation of the service of {@code path}. */
  public static void write(Filer filer, String path, String binaryName, Element... originating)
      throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, originating);
    try (Writer writer = file.openWriter()) {
      writer.write(binaryName);
      writer.write('\n');
    }
  }
}
