package org.groupcrm.core.api.customer;

import java.time.Instant;

import javax.validation.constraints.Email;
import javax.validation.constraints.Max;
import javax.validation.constraints.Min;
import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;

/**
 * A customer of a subsidiary.
 * <p>
 * Writable: {@code name}, {@code phone}, {@code email}, {@code occupation}, {@code birthYear} (or {@code age},
 * converted to a birth year when no birth year is given), {@code address}, {@code notes}; {@code owner} on create
 * only (defaults to the caller); {@code version} on update, where it is required and must match the stored one.
 * Read-only and ignored on input: {@code id}, {@code subsidiary}, {@code enteredBy}, {@code createdAt},
 * {@code updatedAt}, {@code archived}.
 */
public class CustomerDTO {
    public Long id;
    public String subsidiary;

    @NotBlank
    @Size(max = 200)
    public String name;

    @Size(max = 40)
    @Pattern(regexp = "\\+?[0-9][0-9 ()./-]{2,39}", message = "must be a phone number: digits, optionally a leading '+', spaces, '(', ')', '.', '/', '-'")
    public String phone;

    @Email
    @Size(max = 254)
    public String email;

    @Size(max = 100)
    public String occupation;

    @Min(1900)
    @Max(2100)
    public Integer birthYear;

    @Min(0)
    @Max(130)
    public Integer age;

    @Size(max = 500)
    public String address;

    @Size(max = 4000)
    public String notes;

    /** Login of the rep who owns the customer. */
    @Size(max = 64)
    public String owner;

    /** Login of the user who entered the customer (may differ from the owner). */
    public String enteredBy;

    public Instant createdAt;
    public Instant updatedAt;

    /** Optimistic-lock version; send back the one you read when updating. */
    public Long version;

    public boolean archived;
}
