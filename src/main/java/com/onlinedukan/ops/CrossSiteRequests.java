package com.onlinedukan.ops;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a state-changing ops request that a page on another site could have made a browser
 * send. Browsers resend cached HTTP Basic credentials with a cross-site form post, so the
 * credential alone does not prove an SRE meant it.
 * <p>
 * Why not Spring Security's {@code CsrfFilter}: it is built on a synchronizer token kept in a
 * session or cookie, and this API is stateless with clients (curl, scripts) that hold no token.
 * What a browser does tell us is where a request comes from: {@code Sec-Fetch-Site} and
 * {@code Origin}, which a page cannot forge, and the content type, since an HTML form can only
 * send the three "simple" ones while our clients send JSON or no body. A request is refused when
 * <ul>
 * <li>{@code Sec-Fetch-Site} is {@code cross-site} or {@code same-site} (a sibling subdomain is
 * another application, not the ops page; only {@code same-origin} and {@code none} — typed by
 * the user — pass),</li>
 * <li>it has an {@code Origin} that is not this server's (scheme, host and port, as the request
 * was addressed: behind a TLS proxy set {@code server.forward-headers-strategy}),</li>
 * <li>or its content type is a form's: {@code application/x-www-form-urlencoded},
 * {@code multipart/form-data}, {@code text/plain}.</li>
 * </ul>
 * It runs before the credential check, so a refused request costs no check and changes nothing.
 */
final class CrossSiteRequests extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CrossSiteRequests.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> FOREIGN_SITES = Set.of("cross-site", "same-site");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        // The reason is one of ours, the path the server's; no header value (nor any credential) is logged.
        log.warn("Refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                refusal);
        Problems.write(response, OpsSecurity.refusal(HttpStatus.FORBIDDEN, ProblemTypes.CROSS_SITE_REQUEST,
                "Cross-site request refused",
                "A state-changing ops request must come from an API client or the ops page itself: " + refusal
                        + ". Send JSON or no body, from the same origin.", refusal));
    }

    /** Why the request is refused, or null when it may pass. */
    static String refusal(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && FOREIGN_SITES.contains(site.trim().toLowerCase(Locale.ROOT))) {
            return "Sec-Fetch-Site is " + site.trim().toLowerCase(Locale.ROOT);
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request)) {
            return "Origin is not this server's";
        }
        String contentType = request.getContentType();
        if (contentType != null && isFormType(contentType)) {
            return "form content type";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false; // "null" (sandboxed frames, privacy redirects) or garbage
            }
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
            return uri.getScheme().equalsIgnoreCase(request.getScheme())
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port == request.getServerPort();
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
    }

    private static boolean isFormType(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return FORM_TYPES.contains((type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT));
        }
        catch (InvalidMediaTypeException e) {
            return true; // not a type an API client sends; refuse rather than guess what a browser made of it
        }
    }
}
