package dev.datamigrations.example;

import dagger.Component;
import dev.datamigrations.example.migrations.MigrationRegistry;
import jakarta.inject.Singleton;

/**
 * The application's Dagger component. {@code migrations()} returns the generated registry, whose
 * {@code @Inject} constructor lets Dagger build the migrations that need services.
 */
@Singleton
@Component(modules = ExampleModule.class)
public interface ExampleComponent {

  /** Returns the data migrations, ready to run: {@code component.migrations().run(jdbi)}. */
  MigrationRegistry migrations();

  static ExampleComponent create() {
    return DaggerExampleComponent.create();
  }
}
