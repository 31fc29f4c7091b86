package dev.datamigrations.example.spring;

import dev.datamigrations.example.spring.migrations.MigrationRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Flyway creates the schema, datamigrations fills the data (one migration uses {@link EmailNormalizer}, a bean),
 * and {@link CustomerDirectory} reads the result through JPA while the context starts.
 *
 * <p>{@code MigrationRegistry} is imported because one migration has an {@code @Inject} constructor: the
 * registry generated for it is built by Spring, not found through {@code ServiceLoader}.
 */
@SpringBootApplication
@Import(MigrationRegistry.class)
public class ExampleSpringApplication {

  public static void main(String[] args) {
    SpringApplication.run(ExampleSpringApplication.class, args);
  }
}
