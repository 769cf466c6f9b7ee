package org.groupcrm.core.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers recently verified credentials for a short time, so that HTTP Basic (credentials on every request) does not
 * pay a deliberately slow password hash per request. Keys are HMACs of login and password under a random per-process
 * key: the cache never holds a password, and its content is useless outside this process.
 */
final class CredentialCache {
    private static final int MAX_ENTRIES = 10_000;
    private final byte[] key = new byte[32];
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private record Entry(AuthenticatedUser user, long expiresAtMillis) {
    }

    CredentialCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    Optional<AuthenticatedUser> get(String login, String password) {
        String k = fingerprint(login, password);
        Entry e = entries.get(k);
        if (e == null) {
            return Optional.empty();
        }
        if (e.expiresAtMillis() <= clock.millis()) {
            entries.remove(k, e);
            return Optional.empty();
        }
        return Optional.of(e.user());
    }

    void put(String login, String password, AuthenticatedUser user) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = clock.millis();
            entries.values().removeIf(e -> e.expiresAtMillis() <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(fingerprint(login, password), new Entry(user, clock.millis() + ttl.toMillis()));
    }

    /** Forgets every entry of {@code login}, e.g. after a password change or when the user is disabled. */
    void invalidate(String login) {
        entries.values().removeIf(e -> e.user().login().equals(login));
    }

    /** @return a keyed digest of the credentials (never the password), also used to join concurrent checks */
    String fingerprint(String login, String password) {
        Mac mac = macs.get();
        mac.update(login.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(password.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal()); // doFinal also resets the Mac for the next use
    }

    /** A keyed Mac per thread: looking up the provider and keying it on every request cost more than the digest. */
    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
