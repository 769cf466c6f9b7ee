package org.groupcrm.core.api.activity;

import java.util.List;

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

    ActivityDTO get(CallerContext caller, long id);

    /** @return the customer's activities that are not archived, newest {@code occurredAt} first */
    Page<ActivityDTO> listForCustomer(CallerContext caller, long customerId, PageRequest page);

    /**
     * @param ownerLogin whose reminders: the caller's own, or another user's for an administrator
     * @return open (not done, not archived) activities with a due date matching {@code filter}, soonest first
     */
    List<ActivityDTO> reminders(CallerContext caller, String ownerLogin, DueFilter filter);

    ActivityDTO update(CallerContext caller, long id, ActivityDTO activity);

    /** Marks the follow-up done; completing twice is harmless and keeps the first {@code doneAt}. */
    ActivityDTO complete(CallerContext caller, long id);

    ActivityDTO archive(CallerContext caller, long id);
}
