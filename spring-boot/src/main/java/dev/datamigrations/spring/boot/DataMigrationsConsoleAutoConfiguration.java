package dev.datamigrations.spring.boot;

import dev.datamigrations.console.Console;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Serves the data-migrations {@link Console} at {@code datamigrations.console.path} (default {@code
 * /datamigrations}) in a servlet web application, when {@code datamigrations.console.enabled=true}
 * and the console's jar (which the starter brings) is on the class path. Read-only unless {@code
 * datamigrations.console.actions-enabled=true}.
 *
 * <p>Who may use it: when Spring Security is configured (a {@code SecurityFilterChain} bean
 * exists), its logged-in user, whose name is recorded as the operator, and actions need Spring
 * Security's CSRF token; otherwise the console's own access token ({@code
 * datamigrations.console.token}, required) and login form. Each action runs on a runner of its own
 * built from {@code datamigrations.*}, with the runner's locks and transaction rules.
 */
@AutoConfiguration(after = DataMigrationsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
    name = {"dev.datamigrations.console.Console", "jakarta.servlet.http.HttpServlet"})
@ConditionalOnProperty(prefix = "datamigrations.console", name = "enabled", havingValue = "true")
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(MigrationCatalog.class)
@EnableConfigurationProperties(DataMigrationsProperties.class)
public class DataMigrationsConsoleAutoConfiguration {
  private static final String SECURITY_FILTER_CHAIN =
      "org.springframework.security.web.SecurityFilterChain";

  /**
   * Builds the console; closed with the context, which stops the backfills its actions left
   * running.
   */
  @Bean(destroyMethod = "close")
  Console dataMigrationsConsole(
      DataSource dataSource,
      MigrationCatalog catalog,
      DataMigrationsProperties properties,
      ListableBeanFactory beans,
      ObjectProvider<DataMigrationsRunnerCustomizer> customizers,
      ObjectProvider<DataMigrationsBackfillCustomizer> backfillCustomizers) {
    DataMigrationsProperties.Console settings = properties.getConsole();
    List<DataMigrationsRunnerCustomizer> runnerCustomizers = customizers.orderedStream().toList();
    Console.Builder builder =
        Console.configure(dataSource, catalog)
            .table(properties.getTable())
            .schema(properties.getSchema())
            .actionsEnabled(settings.isActionsEnabled())
            // Batch size, workers, lock timeout... as the application's runner; the console sets
            // operator,
            // reason and its own listener on top.
            .backfillSettings(
                RunnerSettings.backfills(
                    properties,
                    new BackfillListener() {},
                    backfillCustomizers.orderedStream().toList()))
            .runnerOptions(
                runner ->
                    RunnerSettings.apply(
                        runner,
                        properties,
                        new CompositeListener(List.<MigrationListener>of()),
                        BackfillSettings.defaults(),
                        runnerCustomizers));
    if (springSecurityConfigured(beans)) {
      builder.authenticatedByHost();
    } else if (settings.getToken() == null || settings.getToken().length() < 16) {
      throw new IllegalStateException(
          "datamigrations.console.enabled=true needs datamigrations.console.token (at least 16 characters, e.g."
              + " `openssl rand -hex 24`), or Spring Security configured in the application; the console serves"
              + " nobody without one of them");
    } else {
      builder.token(settings.getToken());
    }
    return builder.build();
  }

  /** Mounts the console's servlet at {@code datamigrations.console.path}. */
  @Bean
  ServletRegistrationBean<ConsoleServlet> dataMigrationsConsoleServlet(
      Console console, DataMigrationsProperties properties, ListableBeanFactory beans) {
    String path = properties.getConsole().getPath();
    ServletRegistrationBean<ConsoleServlet> registration =
        new ServletRegistrationBean<>(
            new ConsoleServlet(
                console, springSecurityConfigured(beans) ? new SpringSecurityUsers() : null),
            path + "/*");
    registration.setName("dataMigrationsConsole");
    return registration;
  }

  /**
   * Returns whether Spring Security is on the class path and the application has a filter chain.
   */
  private static boolean springSecurityConfigured(ListableBeanFactory beans) {
    ClassLoader loader = DataMigrationsConsoleAutoConfiguration.class.getClassLoader();
    if (!ClassUtils.isPresent(SECURITY_FILTER_CHAIN, loader)) {
      return false;
    }
    return beans.getBeanNamesForType(
                ClassUtils.resolveClassName(SECURITY_FILTER_CHAIN, loader), true, false)
            .length
        > 0;
  }
}
