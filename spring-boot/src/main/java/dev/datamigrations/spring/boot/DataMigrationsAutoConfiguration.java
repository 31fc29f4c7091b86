package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.MigrationRunner;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

/**
 * Runs the application's data migrations at start-up on its {@link DataSource}: finds the generated
 * registry (a {@link MigrationCatalog} bean, or the processor's {@code ServiceLoader} entry),
 * builds a {@link MigrationRunner} from {@code datamigrations.*}, the {@link MigrationListener}
 * beans and the {@link DataMigrationsRunnerCustomizer} beans, and runs it through a {@link
 * DataMigrationsInitializer}, ordered after Flyway and Liquibase by {@link
 * DataMigrationsDatabaseInitializerDetector}.
 *
 * <p>Names Boot 3's and Boot 4's auto-configurations by class name, since they moved between
 * packages.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
      "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
      "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration",
      "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"
    })
@ConditionalOnClass(MigrationRunner.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "datamigrations", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DataMigrationsProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class DataMigrationsAutoConfiguration {

  /**
   * Loads the generated registry through its {@code ServiceLoader} entry when no catalog bean is
   * declared; for a registry with {@code @Inject} migrations, first resolves every constructor
   * argument from the context, so that a missing bean fails start-up before anything runs (the
   * runner, hence the initializer, needs this bean).
   */
  @Bean
  @ConditionalOnMissingBean
  MigrationCatalog dataMigrationsCatalog(
      ResourceLoader resourceLoader, ListableBeanFactory beanFactory) {
    return CatalogLoader.load(resourceLoader.getClassLoader(), beanFactory);
  }

  /**
   * Keeps the initializer eager under {@code spring.main.lazy-initialization=true}: the migrations
   * run at start-up, not on the thread that first asks for a bean depending on database
   * initialization (an HTTP request's), nor never.
   */
  @Bean
  static LazyInitializationExcludeFilter dataMigrationsEagerInitialization() {
    return LazyInitializationExcludeFilter.forBeanTypes(DataMigrationsInitializer.class);
  }

  /** Remembers failures for the health indicator. */
  @Bean
  @ConditionalOnMissingBean
  FailureRecorder dataMigrationsFailureRecorder() {
    return new FailureRecorder();
  }

  /**
   * Builds the runner; closed with the context, which stops detached backfill workers after their
   * batch.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  MigrationRunner dataMigrationsRunner(
      DataSource dataSource,
      MigrationCatalog catalog,
      DataMigrationsProperties properties,
      ObjectProvider<MigrationListener> listeners,
      ObjectProvider<DataMigrationsRunnerCustomizer> customizers,
      ObjectProvider<DataMigrationsBackfillCustomizer> backfillCustomizers) {
    CompositeListener listener = new CompositeListener(listeners.orderedStream().toList());
    return RunnerSettings.apply(
            MigrationRunner.configure(dataSource, catalog),
            properties,
            listener,
            RunnerSettings.backfills(
                properties, listener, backfillCustomizers.orderedStream().toList()),
            customizers.orderedStream().toList())
        .build();
  }

  /**
   * Migrates (or verifies, or runs the strategy) when created; first refuses an injected registry
   * registered by its class ({@link CatalogLoader#refuseRegisteredInjectedRegistry}).
   */
  @Bean
  @ConditionalOnMissingBean
  DataMigrationsInitializer dataMigrationsInitializer(
      ConfigurableListableBeanFactory beanFactory,
      ResourceLoader resourceLoader,
      MigrationRunner runner,
      DataMigrationsProperties properties,
      ObjectProvider<DataMigrationsStrategy> strategy,
      ObjectProvider<RunRecorder> recorder) {
    CatalogLoader.refuseRegisteredInjectedRegistry(beanFactory, resourceLoader.getClassLoader());
    return new DataMigrationsInitializer(
        runner,
        properties.getMode(),
        properties.isDetachBackfills(),
        strategy.getIfAvailable(),
        recorder.getIfAvailable(() -> RunRecorder.NONE));
  }
}
