package dev.datamigrations.example.spring;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/**
 * A start-up cache of the customers, read through JPA while the context starts: it sees migrated
 * data because JPA's {@code EntityManagerFactory} depends on database initialization, which the
 * data migrations are part of (no {@code @DependsOn} needed).
 */
@Component
public class CustomerDirectory {
  private final List<Customer> customers;

  public CustomerDirectory(CustomerRepository repository) {
    this.customers = List.copyOf(repository.findAll(Sort.by("id")));
  }

  /** Returns the customers as read at start-up. */
  public List<Customer> customers() {
    return customers;
  }
}
