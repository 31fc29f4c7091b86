package dev.datamigrations.example.spring;

import org.springframework.data.jpa.repository.JpaRepository;

/** Reads customers through JPA. */
public interface CustomerRepository extends JpaRepository<Customer, Long> {}
