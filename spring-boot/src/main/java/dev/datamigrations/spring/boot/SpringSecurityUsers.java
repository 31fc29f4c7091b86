package dev.datamigrations.spring.boot;

import dev.datamigrations.console.ConsoleRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DeferredCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * The console's view of Spring Security: who is logged in (their name becomes the operator) and
 * whether a state-changing request carries Spring Security's CSRF token. The console checks the
 * token itself rather than trust that the application's filter chain did: a chain that ignores CSRF
 * for the console's path, or turns it off, must not leave the actions open to a forged cross-site
 * request. Loaded only when Spring Security is on the class path.
 */
final class SpringSecurityUsers {
  private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();
  private final XorCsrfTokenRequestAttributeHandler masked =
      new XorCsrfTokenRequestAttributeHandler();

  /**
   * Returns the logged-in user of {@code request}, or null when nobody (or only an anonymous user)
   * is.
   */
  ConsoleRequest.HostUser user(HttpServletRequest request) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || trust.isAnonymous(authentication)) {
      return null;
    }
    // The per-request token Spring Security gives pages (masked by default); the page sends it back
    // in its header.
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    return new ConsoleRequest.HostUser(
        authentication.getName(),
        csrf == null ? null : csrf.getHeaderName(),
        csrf == null ? null : csrf.getToken());
  }

  /**
   * Returns why a state-changing {@code request} is refused as a possible forgery, or empty if it
   * carries the token.
   */
  Optional<String> csrfRefusal(HttpServletRequest request) {
    DeferredCsrfToken deferred =
        (DeferredCsrfToken) request.getAttribute(DeferredCsrfToken.class.getName());
    if (deferred == null) {
      return Optional.of(
          "Refused: Spring Security's CSRF protection is off for the console's path, and the console takes no action"
              + " without it. Nothing was changed.");
    }
    CsrfToken expected = deferred.get();
    String sent = request.getHeader(expected.getHeaderName());
    boolean matches =
        sent != null
            && (same(sent, expected.getToken())
                || same(masked.resolveCsrfTokenValue(request, expected), expected.getToken()));
    return matches
        ? Optional.empty()
        : Optional.of(
            "Refused: Spring Security's CSRF token is missing or wrong (header "
                + expected.getHeaderName()
                + "). Nothing was changed.");
  }

  private static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
