package org.groupcrm.core.internal.security;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.groupcrm.core.api.UnavailableException;

import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Verifies a login and password against the CRM's users. Disabled and unknown users fail exactly like a wrong
 * password. Successful verifications are cached for {@link #CACHE_TTL}. The deliberately slow hash runs on at most
 * as many threads as there are cores: a flood of wrong credentials gets 503 instead of starving every request.
 */
@Component(service = Authenticator.class)
public class Authenticator {
    static final Duration CACHE_TTL = Duration.ofSeconds(60);
    /** Verified against when the login is unknown, so that unknown and known logins take the same time. */
    private static final String DUMMY_HASH = new PasswordHasher().hash("not a password of anyone");

    /**
     * How long a sign-in waits for a hashing slot before it is answered 503. Long enough for a morning's burst of
     * first sign-ins (about 0.25 s of CPU each, one per core at a time: 20 at once took 2.5 s in the load benchmark),
     * short enough that a flood of made-up credentials is refused rather than queued without end.
     */
    static final long HASH_WAIT_MILLIS = 10_000;
    /** Wrong passwords within {@link #FAILURE_WINDOW} after which a login is locked out for {@link #LOCKOUT}. */
    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    private final PasswordHasher hasher = new PasswordHasher();
    private final Semaphore hashing = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    private final CredentialCache cache = new CredentialCache(CACHE_TTL, Clock.systemUTC());
    private final Map<String, CompletableFuture<Optional<AuthenticatedUser>>> inFlight = new ConcurrentHashMap<>();
    private final LoginThrottle throttle = new LoginThrottle(MAX_FAILURES, FAILURE_WINDOW, LOCKOUT, Clock.systemUTC());

    @Reference
    Tx tx;

    /** @return how long {@code login} is locked out after repeated wrong passwords, if it is */
    public Optional<Duration> lockedFor(String login) {
        return login == null ? Optional.empty() : throttle.lockedFor(login);
    }

    /** @return the user if the credentials are valid and the user is enabled */
    public Optional<AuthenticatedUser> authenticate(String login, String password) {
        if (login == null || password == null || login.isEmpty()) {
            return Optional.empty();
        }
        Optional<AuthenticatedUser> cached = cache.get(login, password);
        if (cached.isPresent()) {
            return cached;
        }
        // one check per set of credentials at a time: when a busy client's cached sign-in expires, its concurrent
        // requests wait for the one hash instead of each taking a hashing slot (and running out of them)
        String key = cache.fingerprint(login, password);
        CompletableFuture<Optional<AuthenticatedUser>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<AuthenticatedUser>> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Optional<AuthenticatedUser> result = check(login, password);
            result.ifPresent(u -> cache.put(login, password, u));
            if (result.isPresent()) {
                throttle.succeeded(login);
            } else {
                throttle.failed(login);
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static Optional<AuthenticatedUser> await(CompletableFuture<Optional<AuthenticatedUser>> running) {
        try {
            return running.get(HASH_WAIT_MILLIS * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("authentication_busy",
                    "too many sign-ins are being checked right now; retry in a few seconds", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("authentication_busy", "interrupted while checking credentials", e);
        }
    }

    /** Looks the user up and verifies the password (one hash); package-private for tests. */
    Optional<AuthenticatedUser> check(String login, String password) {
        Optional<UserEntity> found = tx.run((em, events) -> em
                .createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                .setParameter("login", login).getResultList().stream().findFirst());
        UserEntity u = found.orElse(null);
        boolean matches = verify(password, u == null ? DUMMY_HASH : u.passwordHash);
        if (u == null || !matches || !u.enabled) {
            return Optional.empty();
        }
        Set<String> subsidiaries = new HashSet<>();
        if (u.homeSubsidiary != null) {
            subsidiaries.add(u.homeSubsidiary.code);
        }
        u.subsidiaries.forEach(s -> subsidiaries.add(s.code));
        AuthenticatedUser user = new AuthenticatedUser(u.id, u.login,
                u.homeSubsidiary == null ? null : u.homeSubsidiary.code, subsidiaries, u.roles);
        return Optional.of(user);
    }

    private boolean verify(String password, String hash) {
        boolean acquired = false;
        try {
            acquired = hashing.tryAcquire(HASH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (!acquired) {
                throw new UnavailableException("authentication_busy",
                        "too many sign-ins are being checked right now; retry in a few seconds", null);
            }
            return hasher.verify(password, hash);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("authentication_busy", "interrupted while checking credentials", e);
        } finally {
            if (acquired) {
                hashing.release();
            }
        }
    }

    /** Drops cached verifications of {@code login}. */
    public void invalidate(String login) {
        cache.invalidate(login);
    }
}
