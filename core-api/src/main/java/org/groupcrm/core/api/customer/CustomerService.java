package org.groupcrm.core.api.customer;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Customers of the caller's current subsidiary. A customer of another subsidiary is reported as not found.
 * Thread-safe; each method runs in its own transaction and publishes its event only after commit.
 */
@ProviderType
public interface CustomerService {

    /**
     * @throws org.groupcrm.core.api.ValidationException a field is invalid, or the owner is not an active user of the subsidiary
     */
    CustomerDTO create(CallerContext caller, CustomerDTO customer);

    /** @throws org.groupcrm.core.api.NotFoundException no such customer in the caller's subsidiary */
    CustomerDTO get(CallerContext caller, long id);

    /**
     * Replaces the writable fields (see {@link CustomerDTO}).
     *
     * @throws org.groupcrm.core.api.ValidationException a field is invalid or {@code version} is missing
     * @throws org.groupcrm.core.api.ConflictException   {@code version} is stale; nothing was written
     * @throws org.groupcrm.core.api.NotFoundException   no such customer in the caller's subsidiary
     */
    CustomerDTO update(CallerContext caller, long id, CustomerDTO customer);

    /**
     * Archives the customer: it leaves the default lists but stays readable by id. Archiving twice is harmless.
     *
     * @throws org.groupcrm.core.api.NotFoundException no such customer in the caller's subsidiary
     */
    CustomerDTO archive(CallerContext caller, long id);

    /** @return one page of matching customers, ordered by name then id, with the total count */
    Page<CustomerDTO> search(CallerContext caller, CustomerQuery query);

    /**
     * Moves customers from one rep to another with their open activities and, through every
     * {@link OwnershipParticipant}, their open work in the modules, all in one transaction; keeps each customer's
     * owner history and posts {@link org.groupcrm.core.api.event.CrmTopics#CUSTOMER_REASSIGNED} per customer.
     * Administrators of the subsidiary only.
     *
     * @throws org.groupcrm.core.api.ValidationException a field is invalid, {@code to} is not an active user of the
     *                                                   subsidiary, or a listed customer is not {@code from}'s
     * @throws org.groupcrm.core.api.ForbiddenException  the caller is not an administrator
     */
    ReassignmentDTO reassign(CallerContext caller, ReassignmentDTO request);

    /**
     * @return the owner history of a customer of the caller's subsidiary, oldest first
     * @throws org.groupcrm.core.api.NotFoundException no such customer in the subsidiary
     */
    List<OwnerChangeDTO> owners(CallerContext caller, long id);
}
