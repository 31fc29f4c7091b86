package dev.datamigrations.example.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Flyway creates the schema, datamigrations fills the data (one migration uses {@link
 * EmailNormalizer}, a bean), and {@link CustomerDirectory} reads the result through JPA while the
 * context starts.
 *
 * <p>Nothing names the migrations here: the starter finds the generated registry through its {@code
 * META-INF/services} entry, and the migration with an {@code @Inject} constructor gets its {@code
 * EmailNormalizer} from the context through the registry's generated factory.
 */
@SpringBootApplication
public class ExampleSpringApplication {

  public static void main(String[] args) {
    SpringApplication.run(ExampleSpringApplication.class, args);
  }
}
