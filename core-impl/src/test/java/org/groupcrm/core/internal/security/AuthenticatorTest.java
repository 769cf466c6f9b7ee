package org.groupcrm.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.groupcrm.core.api.UnavailableException;
import org.junit.jupiter.api.Test;

/** {@link Authenticator}: concurrent checks of the same credentials share one hash; failures reach every waiter. */
class AuthenticatorTest {

    /** An authenticator whose check counts calls and waits for the test's signal. */
    private static final class Gated extends Authenticator {
        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException failure;

        @Override
        Optional<AuthenticatedUser> check(String login, String password) {
            checks.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return Optional.of(new AuthenticatedUser(7, login, "SH", Set.of("SH"), Set.of("user")));
        }
    }

    private static List<Future<Optional<AuthenticatedUser>>> signIn(Authenticator a, ExecutorService pool, int n,
            String password) {
        List<Future<Optional<AuthenticatedUser>>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.submit(() -> a.authenticate("li.wei", password)));
        }
        return results;
    }

    @Test
    void concurrentSignInsWithTheSameCredentialsHashOnce() throws Exception {
        Gated a = new Gated();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<AuthenticatedUser>>> results = signIn(a, pool, 8, "secret-password");
            TimeUnit.MILLISECONDS.sleep(200);
            a.release.countDown();
            for (Future<Optional<AuthenticatedUser>> f : results) {
                assertEquals("li.wei", f.get(10, TimeUnit.SECONDS).orElseThrow().login());
            }
            assertEquals(1, a.checks.get());
            // and the result is cached for the next request
            assertTrue(a.authenticate("li.wei", "secret-password").isPresent());
            assertEquals(1, a.checks.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentPasswordsAreCheckedSeparately() throws Exception {
        Gated a = new Gated();
        a.release.countDown();
        a.authenticate("li.wei", "one-password");
        a.authenticate("li.wei", "another-password");
        assertEquals(2, a.checks.get());
    }

    @Test
    void aFailedCheckReachesEveryWaiterAndIsNotCached() throws Exception {
        Gated a = new Gated();
        a.failure = new UnavailableException("database_unavailable", "down", null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<AuthenticatedUser>>> results = signIn(a, pool, 4, "secret-password");
            TimeUnit.MILLISECONDS.sleep(200);
            a.release.countDown();
            for (Future<Optional<AuthenticatedUser>> f : results) {
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> f.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof UnavailableException, String.valueOf(e.getCause()));
            }
            a.failure = null;
            assertTrue(a.authenticate("li.wei", "secret-password").isPresent());
            assertEquals(2, a.checks.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
