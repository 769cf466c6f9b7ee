package org.groupcrm.core.api.customer;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Contacts of a customer of the caller's current subsidiary. Same error contract as {@link CustomerService}.
 */
@ProviderType
public interface ContactService {

    /**
     * @throws org.groupcrm.core.api.ValidationException a field is invalid
     * @throws org.groupcrm.core.api.NotFoundException   no such customer in the caller's subsidiary, or it is archived
     */
    ContactDTO create(CallerContext caller, long customerId, ContactDTO contact);

    /**
     * @return the customer's contacts that are not archived, by name
     * @throws org.groupcrm.core.api.NotFoundException no such customer in the caller's subsidiary
     */
    List<ContactDTO> list(CallerContext caller, long customerId);

    /**
     * Replaces the writable fields (see {@link ContactDTO}).
     *
     * @throws org.groupcrm.core.api.ValidationException a field is invalid or {@code version} is missing
     * @throws org.groupcrm.core.api.ConflictException   {@code version} is stale; nothing was written
     * @throws org.groupcrm.core.api.NotFoundException   no such customer, or no such contact of that customer
     */
    ContactDTO update(CallerContext caller, long customerId, long contactId, ContactDTO contact);

    /**
     * Archives the contact; archiving twice is harmless.
     *
     * @throws org.groupcrm.core.api.NotFoundException no such customer, or no such contact of that customer
     */
    ContactDTO archive(CallerContext caller, long customerId, long contactId);
}
