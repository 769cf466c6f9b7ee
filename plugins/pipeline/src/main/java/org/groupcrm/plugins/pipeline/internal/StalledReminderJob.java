package org.groupcrm.plugins.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.api.activity.ActivityType;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.groupcrm.plugins.pipeline.internal.StalledService.Unreminded;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminds owners of stalled opportunities: every {@code intervalMinutes} (PID {@value #PID}, default 60; the first
 * run a minute after the start), in each subsidiary where the pipeline is in force, each OPEN opportunity that has
 * been without activity for the subsidiary's stalled days and whose owner has not been reminded of this stall yet
 * gets a follow-up reminder in the core: a NOTE activity on the opportunity's customer, owned and entered by the
 * owner, due now. Owners for whom the module is not in force (a PILOT without them) are skipped and reminded once it
 * is. One reminder per stall: the opportunity is marked ({@code stalled_reminded_at}) before the reminder is
 * created, and unmarked again when creating it failed for a reason that may pass (so the next run retries);
 * refusals that will not pass (customer archived, owner no longer active there) keep the mark and are logged.
 */
@Component(configurationPid = StalledReminderJob.PID, property = CrmModule.MODULE_PROPERTY + "=" + PipelineModule.ID)
@Designate(ocd = StalledReminderJob.Config.class)
public class StalledReminderJob {
    static final String PID = "org.groupcrm.pipeline.stalled";
    static final int BATCH = 200;
    static final int SUBJECT_MAX = 200;
    private static final Logger LOG = LoggerFactory.getLogger(StalledReminderJob.class);

    /** Configuration of the job. */
    @ObjectClassDefinition(id = PID, name = "CRM pipeline: stalled-opportunity reminders",
            description = "How often owners of stalled opportunities are reminded to follow up.")
    public @interface Config {
        @AttributeDefinition(name = "Interval (minutes)", min = "1", max = "1440",
                description = "Minutes between two runs; the first run is a minute after the start.")
        int intervalMinutes() default 60;
    }

    @Reference
    StalledService stalled;

    @Reference
    ModuleService modules;

    @Reference
    ActivityService activities;

    @Reference
    UserService users;

    private ScheduledExecutorService executor;

    public StalledReminderJob() {
    }

    /** For tests: the job without a scheduler; call {@link #remindStalled()}. */
    StalledReminderJob(StalledService stalled, ModuleService modules, ActivityService activities, UserService users) {
        this.stalled = stalled;
        this.modules = modules;
        this.activities = activities;
        this.users = users;
    }

    @Activate
    void activate(Config config) {
        long interval = Math.max(1, config.intervalMinutes());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crm-pipeline-stalled-reminders");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::run, 1, interval, TimeUnit.MINUTES);
        LOG.debug("Stalled-opportunity reminders every {} minutes", interval);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The stalled-opportunity reminder run did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One scheduled run; never throws (an exception would cancel the schedule). */
    void run() {
        try {
            Result result = remindStalled();
            if (result.reminded() > 0 || result.failed() > 0) {
                LOG.info("Stalled opportunities: {} owners reminded, {} skipped, {} failed", result.reminded(),
                        result.skipped(), result.failed());
            }
        } catch (Throwable t) {
            LOG.error("The stalled-opportunity reminder run failed", t);
        }
    }

    /**
     * What a run did.
     *
     * @param reminded reminders created
     * @param skipped  stalls not reminded because the owner does not have the module in force, or is not an
     *                 enabled user who may act in the subsidiary
     * @param failed   stalls (or whole subsidiaries) where reminding failed
     */
    record Result(int reminded, int skipped, int failed) {
    }

    private static final class Counts {
        int reminded;
        int skipped;
        int failed;
    }

    /**
     * The job's work, without the scheduler: reminds the owners of every stall not reminded yet, in every subsidiary
     * where the module is in force. A failure for one opportunity or subsidiary is logged, and the run goes on.
     */
    Result remindStalled() {
        Counts counts = new Counts();
        Set<String> subsidiaries;
        try {
            subsidiaries = new TreeSet<>(modules.subsidiariesInForce(PipelineModule.ID));
        } catch (RuntimeException e) {
            LOG.warn("Stalled opportunities: cannot tell where the pipeline is in force", e);
            return new Result(0, 0, 1);
        }
        for (String subsidiary : subsidiaries) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                remindIn(subsidiary, counts);
            } catch (RuntimeException e) {
                counts.failed++;
                LOG.warn("Stalled opportunities of subsidiary {}: the run failed; the next one retries", subsidiary, e);
            }
        }
        return new Result(counts.reminded, counts.skipped, counts.failed);
    }

    private void remindIn(String subsidiary, Counts counts) {
        Instant now = stalled.now().truncatedTo(ChronoUnit.MICROS);
        int days = stalled.stalledDays(subsidiary);
        Instant cutoff = now.minus(Duration.ofDays(days));
        Map<String, Optional<UserDTO>> owners = new HashMap<>();
        Unreminded after = null;
        while (!Thread.currentThread().isInterrupted()) {
            List<Unreminded> batch = stalled.unreminded(subsidiary, cutoff, after, BATCH);
            for (Unreminded o : batch) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    remind(subsidiary, o, now, cutoff, owners, counts);
                } catch (RuntimeException e) {
                    counts.failed++;
                    LOG.warn("Stalled opportunity {} of subsidiary {}: could not remind {}", o.id(), subsidiary,
                            o.owner(), e);
                }
            }
            if (batch.size() < BATCH) {
                return;
            }
            after = batch.get(batch.size() - 1);
        }
    }

    private void remind(String subsidiary, Unreminded o, Instant now, Instant cutoff,
            Map<String, Optional<UserDTO>> owners, Counts counts) {
        if (!modules.inForce(subsidiary, o.owner(), PipelineModule.ID)) {
            counts.skipped++;
            return;
        }
        Optional<UserDTO> owner = owners.computeIfAbsent(o.owner(), users::findByLogin);
        if (owner.isEmpty() || !activeIn(owner.get(), subsidiary)) {
            counts.skipped++;
            LOG.debug("Stalled opportunity {} of subsidiary {}: owner {} is no active user there", o.id(), subsidiary,
                    o.owner());
            return;
        }
        UserDTO user = owner.get();
        if (!stalled.claimReminder(o.id(), cutoff, now)) {
            return; // activity in the meantime, closed, or reminded by a concurrent run
        }
        stalled.expectOwnReminder(subsidiary, o.customerId(), user.login);
        try {
            activities.create(new CallerContext(user.id, user.login, subsidiary, user.roles), o.customerId(),
                    reminder(o, user.login, now));
            counts.reminded++;
        } catch (RuntimeException e) {
            stalled.forgetOwnReminder(subsidiary, o.customerId(), user.login);
            counts.failed++;
            if (e instanceof NotFoundException || e instanceof ValidationException || e instanceof ForbiddenException) {
                LOG.warn("Stalled opportunity {} of subsidiary {}: the core refused the reminder for {} ({});"
                        + " this stall is not reminded", o.id(), subsidiary, user.login, e.getMessage());
            } else {
                stalled.releaseReminder(o.id(), now, o.remindedAt());
                LOG.warn("Stalled opportunity {} of subsidiary {}: could not remind {}; the next run retries", o.id(),
                        subsidiary, user.login, e);
            }
        }
    }

    /** @return whether {@code user} is enabled and may act in {@code subsidiary} (as the core requires of an owner) */
    static boolean activeIn(UserDTO user, String subsidiary) {
        return user.id != null && !Boolean.FALSE.equals(user.enabled) && (subsidiary.equals(user.homeSubsidiary)
                || (user.subsidiaries != null && user.subsidiaries.contains(subsidiary)));
    }

    /** @return the follow-up reminder for the owner of {@code o}, due {@code now} */
    static ActivityDTO reminder(Unreminded o, String owner, Instant now) {
        ActivityDTO a = new ActivityDTO();
        a.type = ActivityType.NOTE;
        String subject = "Stalled opportunity: " + o.title();
        a.subject = subject.length() <= SUBJECT_MAX ? subject : subject.substring(0, SUBJECT_MAX - 1) + "…";
        long days = Duration.between(o.lastActivityAt(), now).toDays();
        a.notes = "No activity on opportunity #" + o.id() + " (" + o.amount().toPlainString() + " " + o.currency()
                + ") for " + days + " days, since " + o.lastActivityAt().atOffset(ZoneOffset.UTC).toLocalDate()
                + ". Follow up with the customer, or update or close the opportunity.";
        a.owner = owner;
        a.dueAt = now;
        return a;
    }
}
