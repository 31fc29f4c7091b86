package dev.datamigrations.example.spring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A customer as the application reads it, once the data migrations have filled {@code full_name}.
 */
@Entity
@Table(name = "customers")
public class Customer {
  @Id private Long id;

  private String email;

  @Column(name = "full_name")
  private String fullName;

  protected Customer() {}

  public Long getId() {
    return id;
  }

  public String getEmail() {
    return email;
  }

  public String getFullName() {
    return fullName;
  }
}
