package org.groupcrm.core.internal.service;

import java.util.Locale;

/**
 * The exclusivity keys of customers (a customer's phone by its digits, its e-mail case-insensitively): how a key's
 * value is derived, how it is found in SQL, and the advisory locks that serialise writers. A single create or update
 * takes the key's subsidiary-wide lock shared and the value's lock exclusively; a bulk import takes the subsidiary-wide
 * lock exclusively (one lock however many rows), so it waits for single writers of the subsidiary and they for it.
 * Both take the keys in {@link CustomerServiceImpl#uniqueKeys()} order, so they cannot deadlock.
 */
final class CustomerKeys {
    static final String PHONE = "phone";
    static final String EMAIL = "email";

    private CustomerKeys() {
    }

    /** @return the key's value of a customer with this phone and e-mail, or {@code null} when it has none */
    static String value(String key, String phone, String email) {
        String v = key.equals(PHONE) ? phoneKey(phone) : email == null ? null : email.toLowerCase(Locale.ROOT);
        return v == null || v.isEmpty() ? null : v;
    }

    /** @return the digits of a phone number, the form in which two numbers are compared */
    static String phoneKey(String phone) {
        if (phone == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    /** @return the key over {@code crm_customer c}, as the partial indexes of change set core-6 compute it */
    static String column(String key) {
        return key.equals(PHONE) ? "regexp_replace(c.phone, '[^0-9]', '', 'g')" : "lower(c.email)";
    }

    /** @return the stored column the key is derived from, over {@code crm_customer c} */
    static String source(String key) {
        return key.equals(PHONE) ? "c.phone" : "c.email";
    }

    /** @return the name of the advisory lock of one key value in a subsidiary */
    static String valueLock(long subsidiaryId, String key, String value) {
        return "customer-key/" + subsidiaryId + "/" + key + "/" + value;
    }

    /** @return the name of the advisory lock of a key in a whole subsidiary */
    static String keyLock(long subsidiaryId, String key) {
        return "customer-keys/" + subsidiaryId + "/" + key;
    }
}
