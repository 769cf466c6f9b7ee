package org.groupcrm.core.internal.persistence;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Turns off EclipseLink's own retry of reads after a communication failure (by default 3 more attempts, 5 s apart):
 * the pool already validates connections before handing them out, so a failure means the database is unreachable and
 * the request should get its 503 within the pool's connection timeout, not 20 s later.
 */
public class FailFastCustomizer implements SessionCustomizer {
    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
            login.setDelayBetweenConnectionAttempts(0);
        }
    }
}
