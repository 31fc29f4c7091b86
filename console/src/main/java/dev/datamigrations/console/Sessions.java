package dev.datamigrations.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the console: one access token, given as {@code Authorization: Bearer <token>} by
 * scripts, or typed into the login form, which opens a session held in a cookie. Each session has
 * its own CSRF token that every state-changing request made with the cookie must echo in {@code
 * X-CSRF-Token}. At most {@value #MAX_SESSIONS} sessions live at once (the oldest go first), each
 * for {@link #LIFETIME}.
 */
final class Sessions {
  static final String COOKIE = "datamigrations_console";
  static final int MAX_SESSIONS = 200;
  static final Duration LIFETIME = Duration.ofHours(8);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] token;
  private final Clock clock;
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  /** A logged-in person: the name recorded as operator, and the session's CSRF token. */
  record Session(String operator, String csrfToken, long expiresMillis) {}

  Sessions(String token, Clock clock) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /** Returns a new random token: 32 bytes, URL-safe Base64. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Returns whether {@code candidate} is the access token, in time independent of where they
   * differ.
   */
  boolean tokenMatches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Opens a session for {@code operator}; returns its id, for the cookie. */
  synchronized String open(String operator) {
    expire();
    while (sessions.size() >= MAX_SESSIONS) {
      Iterator<String> oldest = sessions.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    String id = randomToken();
    sessions.put(id, new Session(operator, randomToken(), clock.millis() + LIFETIME.toMillis()));
    return id;
  }

  synchronized Optional<Session> find(String id) {
    expire();
    return Optional.ofNullable(id == null ? null : sessions.get(id));
  }

  synchronized void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  private void expire() {
    long now = clock.millis();
    sessions.values().removeIf(session -> session.expiresMillis() < now);
  }

  /** Returns the session id in the request's {@code Cookie} header, or null. */
  static String cookie(ConsoleRequest request) {
    for (String header : request.headers().getOrDefault("Cookie", java.util.List.of())) {
      for (String pair : header.split(";")) {
        String trimmed = pair.trim();
        if (trimmed.startsWith(COOKIE + "=")) {
          return trimmed.substring(COOKIE.length() + 1);
        }
      }
    }
    return null;
  }
}
