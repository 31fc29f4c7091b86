package dev.datamigrations.spring.boot;

import java.util.List;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application as a user writes it: auto-configuration, a schema tool chosen by properties, and a
 * bean that reads the customers through a {@link JdbcTemplate} while the context starts, with no
 * {@code @DependsOn}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class TestApp {

  /** What the application saw of the customers table while it started. */
  record CustomersAtStartup(List<String> names) {}

  @Bean
  CustomersAtStartup customersAtStartup(JdbcTemplate jdbc) {
    return new CustomersAtStartup(
        jdbc.queryForList("SELECT name FROM customers ORDER BY id", String.class));
  }

  /**
   * Starts the application on {@code url} with {@code properties} ({@code key=value}), given as
   * command-line arguments so that they win over the test's {@code application.properties}.
   */
  static ConfigurableApplicationContext start(String url, String... properties) {
    return start(WebApplicationType.NONE, url, properties);
  }

  /**
   * Starts the application as {@link #start(String, String...)} does, as a {@code type}
   * application.
   */
  static ConfigurableApplicationContext start(
      WebApplicationType type, String url, String... properties) {
    return start(new Class<?>[0], type, url, properties);
  }

  /**
   * Starts the application as {@link #start(String, String...)} does, with the beans of {@code
   * extra} too.
   */
  static ConfigurableApplicationContext start(
      Class<?>[] extra, WebApplicationType type, String url, String... properties) {
    Class<?>[] sources = new Class<?>[extra.length + 1];
    sources[0] = TestApp.class;
    System.arraycopy(extra, 0, sources, 1, extra.length);
    String[] args = new String[properties.length + 1];
    args[0] = "--spring.datasource.url=" + url;
    for (int i = 0; i < properties.length; i++) {
      args[i + 1] = "--" + properties[i];
    }
    return new SpringApplicationBuilder(sources).web(type).run(args);
  }

  /** Returns a fresh in-memory H2 database's URL, kept until the JVM ends. */
  static String newH2() {
    return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }
}
