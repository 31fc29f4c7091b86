/**
 * The data migrations' health indicator for Spring Boot 3.5, kept apart because Boot 4 moved the
 * health API to another package; listed in this jar's auto-configuration imports and inert on Boot
 * 4.
 */
package dev.datamigrations.spring.boot.actuator3;
