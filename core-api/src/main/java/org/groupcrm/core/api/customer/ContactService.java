package org.groupcrm.core.api.customer;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Contacts of a customer of the caller's current subsidiary. Same error contract as {@link CustomerService}.
 */
@ProviderType
public interface ContactService {

    ContactDTO create(CallerContext caller, long customerId, ContactDTO contact);

    /** @return the customer's contacts that are not archived, by name */
    List<ContactDTO> list(CallerContext caller, long customerId);

    ContactDTO update(CallerContext caller, long customerId, long contactId, ContactDTO contact);

    ContactDTO archive(CallerContext caller, long customerId, long contactId);
}
