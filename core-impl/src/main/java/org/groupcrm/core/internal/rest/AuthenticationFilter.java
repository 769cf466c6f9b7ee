package org.groupcrm.core.internal.rest;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Optional;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.security.AuthenticatedUser;
import org.groupcrm.core.internal.security.ApiTokens;
import org.groupcrm.core.internal.security.Authenticator;
import org.groupcrm.core.internal.service.SubsidiaryServiceImpl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * HTTP Basic authentication against the CRM's users, and selection of the subsidiary the request acts in (the
 * caller's home subsidiary, or the one named by {@value #SUBSIDIARY_HEADER} if the caller may act in it). Runs before
 * resource matching, so every request but {@code GET /api/v1/health} needs credentials, unknown paths included.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = AuthenticationFilter.PID)
@Designate(ocd = AuthenticationFilter.Limits.class)
@JaxrsExtension
@JaxrsName(AuthenticationFilter.NAME)
@JaxrsApplicationSelect("(|" + CrmApplication.SELECT + "(crm.module=*))")
@Priority(Priorities.AUTHENTICATION)
@PreMatching
public class AuthenticationFilter implements ContainerRequestFilter {
    public static final String SUBSIDIARY_HEADER = "X-Subsidiary";
    public static final String NAME = "crm-authentication";
    public static final String PID = "org.groupcrm.requests";
    static final String CORE_BASE = "/api/v1/";
    static final String PUBLIC_PATH = "health";
    static final String CHALLENGE = "Basic realm=\"CRM\", charset=\"UTF-8\"";

    /** Requests per second and burst per subsidiary ({@code etc/org.groupcrm.requests.cfg}); 0 switches it off. */
    @ObjectClassDefinition(name = "CRM requests", description = "Per-subsidiary request rate limit")
    public @interface Limits {
        @AttributeDefinition(description = "Sustained requests per second per subsidiary (0: no limit)")
        double perSubsidiaryPerSecond() default 1000;

        @AttributeDefinition(description = "Requests a subsidiary may send at once above the sustained rate")
        double perSubsidiaryBurst() default 2000;
    }

    private volatile RateLimiter limiter = new RateLimiter(0, 0, System::nanoTime);

    @Activate
    @Modified
    void configure(Limits limits) {
        limiter = new RateLimiter(limits.perSubsidiaryPerSecond(), Math.max(1, limits.perSubsidiaryBurst()), System::nanoTime);
    }

    @Reference
    Authenticator authenticator;

    @Reference
    ApiTokens tokens;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic(request.getUriInfo().getBaseUri().getPath(), request.getUriInfo().getPath())) {
            return;
        }
        Optional<String[]> credentials = basicCredentials(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<java.time.Duration> locked = credentials.flatMap(c -> authenticator.lockedFor(c[0]));
        if (locked.isPresent()) {
            long seconds = Math.max(1, locked.get().toSeconds());
            request.abortWith(Response.status(429).header("Retry-After", String.valueOf(seconds))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.of("login_locked", "too many wrong passwords for this login; try again in "
                            + seconds + " s")).build());
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        Optional<AuthenticatedUser> user = bearer ? tokens.authenticate(authorization.substring(7))
                : credentials.flatMap(c -> authenticator.authenticate(c[0], c[1]));
        if (user.isEmpty()) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ErrorBody.of("unauthorized", bearer ? "invalid or revoked API token"
                            : credentials.isEmpty() ? "authentication required: send HTTP Basic credentials or an API token"
                            : "invalid login or password"))
                    .build());
            return;
        }
        AuthenticatedUser u = user.get();
        String requested = request.getHeaderString(SUBSIDIARY_HEADER);
        String subsidiary = u.homeSubsidiary();
        if (requested != null && !requested.isBlank()) {
            requested = requested.strip();
            boolean groupAdmin = u.roles().contains(Roles.GROUP_ADMIN);
            if (!u.subsidiaries().contains(requested) && !groupAdmin) {
                request.abortWith(error(Response.Status.FORBIDDEN, "subsidiary_not_allowed",
                        "you may not act in subsidiary '" + requested + "'"));
                return;
            }
            if (groupAdmin && subsidiaries.findId(requested).isEmpty()) {
                request.abortWith(error(Response.Status.NOT_FOUND, "not_found", "subsidiary " + requested + " not found"));
                return;
            }
            subsidiary = requested;
        }
        long wait = subsidiary == null ? 0 : limiter.acquire(subsidiary);
        if (wait > 0) {
            request.abortWith(Response.status(429).header("Retry-After", String.valueOf(wait))
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of("rate_limited", "subsidiary " + subsidiary
                            + " is sending more requests than allowed; retry in " + wait + " s")).build());
            return;
        }
        CallerContext caller = new CallerContext(u.id(), u.login(), subsidiary, u.roles());
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new CallerSecurityContext(caller, secure));
    }

    /** Only the core application's health resource is public; plugin applications have none. */
    static boolean isPublic(String basePath, String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String base = basePath.endsWith("/") ? basePath : basePath + "/";
        return CORE_BASE.equals(base) && PUBLIC_PATH.equals(p);
    }

    private static Response error(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(code, message)).build();
    }

    /** @return login and password from an HTTP Basic {@code Authorization} header, if it is well-formed */
    static Optional<String[]> basicCredentials(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || decoded.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    /** Security context of an authenticated request. */
    record CallerSecurityContext(CallerContext caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.hasRole(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return SecurityContext.BASIC_AUTH;
        }
    }
}
