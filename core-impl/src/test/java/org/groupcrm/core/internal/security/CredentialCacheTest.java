package org.groupcrm.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {
    private static final Duration TTL = Duration.ofSeconds(60);

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2024-05-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final CredentialCache cache = new CredentialCache(TTL, clock);

    private static AuthenticatedUser user(long id, String login) {
        return new AuthenticatedUser(id, login, "ACME", Set.of("ACME"), Set.of("user"));
    }

    @Test
    void hitReturnsTheCachedUser() {
        AuthenticatedUser alice = user(1, "alice");
        cache.put("alice", "s3cret-pass", alice);
        assertSame(alice, cache.get("alice", "s3cret-pass").orElseThrow());
    }

    @Test
    void emptyCacheIsAMiss() {
        assertTrue(cache.get("alice", "s3cret-pass").isEmpty());
    }

    @Test
    void wrongPasswordOrOtherLoginIsAMiss() {
        cache.put("alice", "s3cret-pass", user(1, "alice"));
        assertTrue(cache.get("alice", "s3cret-pasS").isEmpty());
        assertTrue(cache.get("alice", "").isEmpty());
        assertTrue(cache.get("bob", "s3cret-pass").isEmpty());
    }

    @Test
    void loginAndPasswordBoundaryMatters() {
        cache.put("ab", "c", user(1, "ab"));
        assertTrue(cache.get("a", "bc").isEmpty());
        assertTrue(cache.get("abc", "").isEmpty());
    }

    @Test
    void entriesExpireAfterTheTtl() {
        cache.put("alice", "s3cret-pass", user(1, "alice"));
        clock.advance(TTL.minusMillis(1));
        assertTrue(cache.get("alice", "s3cret-pass").isPresent(), "still valid just before the TTL");
        clock.advance(Duration.ofMillis(1));
        assertTrue(cache.get("alice", "s3cret-pass").isEmpty(), "expired at the TTL");
        assertEquals(0, entries(cache).size(), "expired entry is dropped on access");
        clock.advance(TTL.negated());
        assertTrue(cache.get("alice", "s3cret-pass").isEmpty(), "stays gone even if the clock goes back");
    }

    @Test
    void putAgainRenewsTheExpiry() {
        cache.put("alice", "s3cret-pass", user(1, "alice"));
        clock.advance(Duration.ofSeconds(50));
        cache.put("alice", "s3cret-pass", user(1, "alice"));
        clock.advance(Duration.ofSeconds(50));
        assertTrue(cache.get("alice", "s3cret-pass").isPresent());
    }

    @Test
    void invalidateForgetsEveryEntryOfThatLoginOnly() {
        cache.put("alice", "old-password", user(1, "alice"));
        cache.put("alice", "new-password", user(1, "alice"));
        cache.put("bob", "bobs-password", user(2, "bob"));
        cache.invalidate("alice");
        assertTrue(cache.get("alice", "old-password").isEmpty());
        assertTrue(cache.get("alice", "new-password").isEmpty());
        assertTrue(cache.get("bob", "bobs-password").isPresent());
    }

    @Test
    void invalidateOfUnknownLoginIsHarmless() {
        cache.put("bob", "bobs-password", user(2, "bob"));
        cache.invalidate("nobody");
        assertTrue(cache.get("bob", "bobs-password").isPresent());
    }

    @Test
    void neitherPasswordNorLoginIsStoredInTheKeys() throws Exception {
        cache.put("alice", "very-secret-password", user(1, "alice"));
        Map<?, ?> entries = entries(cache);
        assertEquals(1, entries.size());
        for (Object key : entries.keySet()) {
            String k = String.valueOf(key);
            assertFalse(k.contains("very-secret-password"), k);
            assertFalse(k.contains("alice"), k);
        }
        assertFalse(entries.toString().contains("very-secret-password"), entries.toString());
    }

    @Test
    void keysDifferBetweenCacheInstances() {
        CredentialCache other = new CredentialCache(TTL, clock);
        cache.put("alice", "pw-1234567", user(1, "alice"));
        other.put("alice", "pw-1234567", user(1, "alice"));
        assertFalse(entries(cache).keySet().equals(entries(other).keySet()), "per-process random HMAC key");
    }

    @Test
    void fingerprintsAreStableAcrossCallsAndThreads() throws Exception {
        String first = cache.fingerprint("alice", "pw-1234567");
        cache.fingerprint("bob", "other-password"); // a digest in between must not carry over into the next
        assertEquals(first, cache.fingerprint("alice", "pw-1234567"));
        AuthenticatedUser alice = user(1, "alice");
        cache.put("alice", "pw-1234567", alice);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(pool.submit(() -> cache.get("alice", "pw-1234567").map(AuthenticatedUser::login)
                        .orElse("miss") + " " + cache.fingerprint("alice", "pw-1234567")));
            }
            for (java.util.concurrent.Future<String> f : others) {
                assertEquals("alice " + first, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<?, ?> entries(CredentialCache cache) {
        try {
            Field f = CredentialCache.class.getDeclaredField("entries");
            f.setAccessible(true);
            return (Map<?, ?>) f.get(cache);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("CredentialCache has no field 'entries' any more", e);
        }
    }
}
