package org.groupcrm.core.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Verifies a login and password against the CRM's users. Disabled and unknown users fail exactly like a wrong
 * password. Successful verifications are cached for {@link #CACHE_TTL}.
 */
@Component(service = Authenticator.class)
public class Authenticator {
    static final Duration CACHE_TTL = Duration.ofSeconds(60);
    /** Verified against when the login is unknown, so that unknown and known logins take the same time. */
    private static final String DUMMY_HASH = new PasswordHasher().hash("not a password of anyone");

    private final PasswordHasher hasher = new PasswordHasher();
    private final CredentialCache cache = new CredentialCache(CACHE_TTL, Clock.systemUTC());

    @Reference
    Tx tx;

    /** @return the user if the credentials are valid and the user is enabled */
    public Optional<AuthenticatedUser> authenticate(String login, String password) {
        if (login == null || password == null || login.isEmpty()) {
            return Optional.empty();
        }
        Optional<AuthenticatedUser> cached = cache.get(login, password);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<UserEntity> found = tx.run((em, events) -> em
                .createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                .setParameter("login", login).getResultList().stream().findFirst());
        if (found.isEmpty()) {
            hasher.verify(password, DUMMY_HASH);
            return Optional.empty();
        }
        UserEntity u = found.get();
        if (!hasher.verify(password, u.passwordHash) || !u.enabled) {
            return Optional.empty();
        }
        Set<String> subsidiaries = new HashSet<>();
        if (u.homeSubsidiary != null) {
            subsidiaries.add(u.homeSubsidiary.code);
        }
        u.subsidiaries.forEach(s -> subsidiaries.add(s.code));
        AuthenticatedUser user = new AuthenticatedUser(u.id, u.login,
                u.homeSubsidiary == null ? null : u.homeSubsidiary.code, subsidiaries, u.roles);
        cache.put(login, password, user);
        return Optional.of(user);
    }

    /** Drops cached verifications of {@code login}. */
    public void invalidate(String login) {
        cache.invalidate(login);
    }
}
