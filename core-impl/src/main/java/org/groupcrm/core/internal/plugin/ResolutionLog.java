package org.groupcrm.core.internal.plugin;

import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.logging.spi.PaxAppender;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.osgi.service.component.annotations.Component;

/**
 * Reads what Karaf's features service would do. A simulated feature operation has no return value: the deployer
 * prints its plan (bundles to install, update, uninstall and refresh) through the features service's logger, on
 * the features service's own thread. This appender (an appender service that pax-logging's OSGi appender feeds)
 * collects those lines while a simulation runs. Simulations are serialised by the caller.
 */
@Component(service = {PaxAppender.class, ResolutionLog.class},
        property = "org.ops4j.pax.logging.appender.name=crm-plugin-plan")
public class ResolutionLog implements PaxAppender {
    static final String FEATURES_LOGGER = "org.apache.karaf.features.internal.service.FeaturesServiceImpl";
    private volatile List<String> capture;

    @Override
    public void doAppend(PaxLoggingEvent event) {
        List<String> c = capture;
        if (c != null && FEATURES_LOGGER.equals(event.getLoggerName())) {
            synchronized (c) {
                c.add(event.getMessage());
            }
        }
    }

    /** Runs {@code simulation} and returns the lines the features service logged meanwhile. */
    synchronized List<String> record(Simulation simulation) throws Exception {
        List<String> lines = new ArrayList<>();
        capture = lines;
        try {
            simulation.run();
        } finally {
            capture = null;
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** A simulated features operation. */
    @FunctionalInterface
    interface Simulation {
        void run() throws Exception;
    }

}
