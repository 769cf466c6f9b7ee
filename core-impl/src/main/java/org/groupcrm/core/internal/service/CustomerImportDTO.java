package org.groupcrm.core.internal.service;

import java.util.List;

/** What a customer import created: every row of the batch became a customer (an import is all or nothing). */
public class CustomerImportDTO {
    /** How many customers were created: the number of rows. */
    public int created;

    /** The new customers' ids, in the order of the rows. */
    public List<Long> ids;
}
