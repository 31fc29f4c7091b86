/**
 * Spring Boot auto-configuration for datamigrations: runs the application's data migrations at
 * start-up, after Flyway's and Liquibase's, with properties under {@code datamigrations.*}, an
 * actuator endpoint, a health indicator and Micrometer metrics. Found through {@code
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, never by
 * component scanning.
 */
package dev.datamigrations.spring.boot;
