package org.groupcrm.core.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.ApiTokenEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.groupcrm.core.internal.service.Audit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * API tokens for integrations: {@code crm_<prefix>_<secret>}, sent as {@code Authorization: Bearer <token>}. A token
 * acts as the user who created it (same roles and subsidiaries, and nothing once the user is disabled). The secret
 * is shown once at creation; only its SHA-256 is stored (a 256-bit random secret needs no slow hash). Tokens are
 * listed without secrets and revoked at once.
 */
@Component(service = ApiTokens.class)
public class ApiTokens {
    static final Pattern FORMAT = Pattern.compile("crm_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Reference
    Tx tx;

    /** A token as listed; {@code token} is set only in the answer to its creation. */
    public static class TokenDTO {
        public Long id;
        public String name;
        public String prefix;
        public String owner;
        public Instant createdAt;
        public Instant lastUsedAt;
        public Instant revokedAt;
        /** The whole token: shown once, when created. */
        public String token;
    }

    public TokenDTO create(CallerContext caller, String name) {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("name", "must be 1 to 100 characters, without control characters");
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            prefix.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = DbClock.UTC.instant();
        return tx.run((em, events) -> {
            ApiTokenEntity t = new ApiTokenEntity();
            t.user = em.find(UserEntity.class, caller.userId());
            if (t.user == null) {
                throw new NotFoundException("user", caller.login());
            }
            t.name = name.strip();
            t.prefix = prefix.toString();
            t.secretHash = sha256(secretText);
            t.createdAt = now;
            em.persist(t);
            em.flush();
            Audit.record(em, caller, homeOf(t.user), "token", t.id, "CREATE", java.util.Map.of(), t, now);
            TokenDTO d = dto(t);
            d.token = "crm_" + t.prefix + "_" + secretText;
            return d;
        });
    }

    /** @return the caller's tokens; a group administrator's list holds everyone's */
    public List<TokenDTO> list(CallerContext caller) {
        return tx.run((em, events) -> (caller.hasRole(Roles.GROUP_ADMIN)
                ? em.createQuery("select t from ApiTokenEntity t order by t.id", ApiTokenEntity.class)
                : em.createQuery("select t from ApiTokenEntity t where t.user.id = :u order by t.id", ApiTokenEntity.class)
                        .setParameter("u", caller.userId())).getResultList().stream().map(ApiTokens::dto).toList());
    }

    /** Revokes one of the caller's tokens (group administrators: anyone's); revoking twice is fine. */
    public TokenDTO revoke(CallerContext caller, long id) {
        return tx.run((em, events) -> {
            ApiTokenEntity t = em.find(ApiTokenEntity.class, id);
            if (t == null || (!caller.hasRole(Roles.GROUP_ADMIN) && !t.user.id.equals(caller.userId()))) {
                throw new NotFoundException("token", id);
            }
            if (t.revokedAt == null) {
                java.util.Map<String, Object> before = Audit.snapshot(t);
                t.revokedAt = DbClock.UTC.instant();
                em.flush();
                Audit.record(em, caller, homeOf(t.user), "token", t.id, "REVOKE", before, t, t.revokedAt);
            }
            return dto(t);
        });
    }

    private static Long homeOf(UserEntity user) {
        return user.homeSubsidiary == null ? null : user.homeSubsidiary.id;
    }

    /** @return the enabled user a valid, unrevoked token stands for */
    public Optional<AuthenticatedUser> authenticate(String token) {
        Matcher m = token == null ? null : FORMAT.matcher(token.strip());
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        String prefix = m.group(1);
        byte[] given = sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        return tx.run((em, events) -> {
            ApiTokenEntity t = em.createQuery("select t from ApiTokenEntity t where t.prefix = :p", ApiTokenEntity.class)
                    .setParameter("p", prefix).getResultList().stream().findFirst().orElse(null);
            if (t == null || t.revokedAt != null || !t.user.enabled
                    || !MessageDigest.isEqual(given, t.secretHash.getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
            }
            Instant now = DbClock.UTC.instant();
            if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minusSeconds(60))) {
                t.lastUsedAt = now; // at most once a minute: no write per request
            }
            UserEntity u = t.user;
            Set<String> subsidiaries = new HashSet<>();
            if (u.homeSubsidiary != null) {
                subsidiaries.add(u.homeSubsidiary.code);
            }
            u.subsidiaries.forEach(s -> subsidiaries.add(s.code));
            return Optional.of(new AuthenticatedUser(u.id, u.login,
                    u.homeSubsidiary == null ? null : u.homeSubsidiary.code, subsidiaries, u.roles));
        });
    }

    private static TokenDTO dto(ApiTokenEntity t) {
        TokenDTO d = new TokenDTO();
        d.id = t.id;
        d.name = t.name;
        d.prefix = t.prefix;
        d.owner = t.user.login;
        d.createdAt = t.createdAt;
        d.lastUsedAt = t.lastUsedAt;
        d.revokedAt = t.revokedAt;
        return d;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
