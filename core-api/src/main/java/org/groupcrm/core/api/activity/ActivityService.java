package org.groupcrm.core.api.activity;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Activities of customers of the caller's current subsidiary, and follow-up reminders. Same error contract as
 * {@link org.groupcrm.core.api.customer.CustomerService}. Thread-safe; events are published after commit.
 */
@ProviderType
public interface ActivityService {

    /**
     * Records an activity; {@code recordedAt} is set to the server time.
     *
     * @throws org.groupcrm.core.api.NotFoundException   no such customer (or it is archived)
     * @throws org.groupcrm.core.api.ValidationException a field is invalid, e.g. {@code occurredAt} in the future
     */
    ActivityDTO create(CallerContext caller, long customerId, ActivityDTO activity);

    /** @throws org.groupcrm.core.api.NotFoundException no such activity in the caller's subsidiary */
    ActivityDTO get(CallerContext caller, long id);

    /**
     * @return one page of the customer's activities that are not archived, newest {@code occurredAt} first
     * @throws org.groupcrm.core.api.NotFoundException no such customer in the caller's subsidiary
     */
    Page<ActivityDTO> listForCustomer(CallerContext caller, long customerId, PageRequest page);

    /**
     * @param ownerLogin whose reminders: the caller's own, or another user's for an administrator
     * @param filter     which due dates, by the subsidiary's time zone; never {@code null}
     * @return one page of open (not done, not archived) activities of customers that are not archived, with a due
     *         date matching {@code filter}, soonest first, with the total
     * @throws org.groupcrm.core.api.ForbiddenException another user's reminders asked for by a non-administrator
     */
    Page<ActivityDTO> reminders(CallerContext caller, String ownerLogin, DueFilter filter, PageRequest page);

    /**
     * Replaces the writable fields (see {@link ActivityDTO}); the owner does not change.
     *
     * @throws org.groupcrm.core.api.ValidationException a field is invalid or {@code version} is missing
     * @throws org.groupcrm.core.api.ConflictException   {@code version} is stale; nothing was written
     * @throws org.groupcrm.core.api.NotFoundException   no such activity in the caller's subsidiary
     */
    ActivityDTO update(CallerContext caller, long id, ActivityDTO activity);

    /**
     * Marks the follow-up done; completing twice, even at the same time, is harmless and keeps the first
     * {@code doneAt}.
     *
     * @throws org.groupcrm.core.api.NotFoundException no such activity in the caller's subsidiary
     */
    ActivityDTO complete(CallerContext caller, long id);

    /**
     * Archives the activity: it leaves lists and reminders but stays readable by id. Archiving twice is harmless.
     *
     * @throws org.groupcrm.core.api.NotFoundException no such activity in the caller's subsidiary
     */
    ActivityDTO archive(CallerContext caller, long id);
}
