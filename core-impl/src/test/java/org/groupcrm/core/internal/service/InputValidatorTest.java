package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityType;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.user.UserDTO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidatorTest {
    private static InputValidator validator;

    @BeforeAll
    static void create() {
        validator = new InputValidator();
    }

    @AfterAll
    static void close() {
        validator.close();
    }

    private static List<FieldError> errors(Object body) {
        return assertThrows(ValidationException.class, () -> validator.validate(body)).fields();
    }

    private static List<String> fields(Object body) {
        return errors(body).stream().map(FieldError::field).toList();
    }

    private static void assertValid(Object body) {
        assertSame(body, validator.validate(body));
    }

    @Test
    void nullBodyIsReportedAsBody() {
        assertEquals(List.of("body"), fields(null));
    }

    @Nested
    class Customer {
        private CustomerDTO valid() {
            CustomerDTO c = new CustomerDTO();
            c.name = "Acme Ltd";
            c.phone = "+49 (30) 123-456";
            c.email = "info@acme.example";
            c.birthYear = 1980;
            c.age = 44;
            return c;
        }

        @Test
        void validCustomerIsReturnedUnchanged() {
            CustomerDTO c = valid();
            assertSame(c, validator.validate(c));
            assertEquals("Acme Ltd", c.name);
            CustomerDTO minimal = new CustomerDTO();
            minimal.name = "x";
            assertValid(minimal);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void blankNameIsRejected(String name) {
            CustomerDTO c = valid();
            c.name = name;
            assertEquals(List.of("name"), fields(c));
        }

        @Test
        void missingNameIsRejected() {
            CustomerDTO c = valid();
            c.name = null;
            assertEquals(List.of("name"), fields(c));
        }

        @Test
        void nameOf200IsFineAnd201TooLong() {
            CustomerDTO c = valid();
            c.name = "n".repeat(200);
            assertValid(c);
            c.name = "n".repeat(201);
            List<FieldError> errors = errors(c);
            assertEquals(List.of("name"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().contains("200"), errors.get(0).reason());
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-an-email", "a@", "@b.example", "a b@c.example"})
        void badEmailIsRejected(String email) {
            CustomerDTO c = valid();
            c.email = email;
            assertEquals(List.of("email"), fields(c));
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "12", "+", "+-123", "12345x", "(030) 123"})
        void badPhoneIsRejected(String phone) {
            CustomerDTO c = valid();
            c.phone = phone;
            List<FieldError> errors = errors(c);
            assertEquals(List.of("phone"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().startsWith("must be a phone number"), errors.get(0).reason());
        }

        @ParameterizedTest
        @ValueSource(strings = {"123", "+1 555 123 4567", "030/123.45-6", "0 (30) 1234"})
        void goodPhonesAreAccepted(String phone) {
            CustomerDTO c = valid();
            c.phone = phone;
            assertValid(c);
        }

        @ParameterizedTest
        @ValueSource(ints = {1899, 2101, 0, -1980})
        void birthYearOutOfRangeIsRejected(int year) {
            CustomerDTO c = valid();
            c.birthYear = year;
            assertEquals(List.of("birthYear"), fields(c));
        }

        @ParameterizedTest
        @ValueSource(ints = {1900, 2100})
        void birthYearBoundsAreAccepted(int year) {
            CustomerDTO c = valid();
            c.birthYear = year;
            assertValid(c);
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 131})
        void ageOutOfRangeIsRejected(int age) {
            CustomerDTO c = valid();
            c.age = age;
            assertEquals(List.of("age"), fields(c));
        }

        @Test
        void errorsAreSortedByField() {
            CustomerDTO c = valid();
            c.name = " ";
            c.email = "nope";
            c.age = -1;
            c.phone = "x";
            assertEquals(List.of("age", "email", "name", "phone"), fields(c));
        }

        @Test
        void severalErrorsOfOneFieldAreSortedByReason() {
            CustomerDTO c = valid();
            c.name = " ".repeat(201);
            List<FieldError> errors = errors(c);
            assertEquals(List.of("name", "name"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().compareTo(errors.get(1).reason()) < 0, errors.toString());
        }

        @Test
        void extraErrorsAreMergedAndSorted() {
            CustomerDTO c = valid();
            c.name = "";
            c.email = "nope";
            FieldError extra = new FieldError("birthYear", "does not match age");
            List<FieldError> errors = assertThrows(ValidationException.class,
                    () -> validator.validate(c, List.of(extra))).fields();
            assertEquals(List.of("birthYear", "email", "name"), errors.stream().map(FieldError::field).toList());
            assertEquals(extra, errors.get(0));
        }

        @Test
        void extraErrorsAloneFailAValidBody() {
            FieldError extra = new FieldError("owner", "unknown user");
            ValidationException e = assertThrows(ValidationException.class,
                    () -> validator.validate(valid(), List.of(extra)));
            assertEquals(List.of(extra), e.fields());
        }
    }

    @Nested
    class Subsidiary {
        private SubsidiaryDTO of(String code) {
            SubsidiaryDTO s = new SubsidiaryDTO();
            s.code = code;
            s.name = "Acme North";
            return s;
        }

        @ParameterizedTest
        @ValueSource(strings = {"ACME", "acme-north", "A_1", "9lives"})
        void goodCodesAreAccepted(String code) {
            assertValid(of(code));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-acme", "_acme", "ac me", "acmé", "a.b", "a/b"})
        void codeMustMatchThePattern(String code) {
            List<FieldError> errors = errors(of(code));
            assertEquals(List.of("code"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().startsWith("must start with a letter or digit"), errors.get(0).reason());
        }

        @Test
        void codeIsRequiredAndAtMost32() {
            assertEquals(List.of("code"), fields(of(null)));
            assertValid(of("c".repeat(32)));
            assertEquals(List.of("code"), fields(of("c".repeat(33))));
        }

        @Test
        void nameIsRequired() {
            SubsidiaryDTO s = of("ACME");
            s.name = " ";
            assertEquals(List.of("name"), fields(s));
        }
    }

    @Nested
    class User {
        private UserDTO valid() {
            UserDTO u = new UserDTO();
            u.login = "alice.smith@acme";
            u.displayName = "Alice Smith";
            u.password = "0123456789";
            u.roles = Set.of("user");
            return u;
        }

        @Test
        void validUserIsAccepted() {
            assertValid(valid());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Alice", "-alice", ".alice", "al ice", "alice!", "älice"})
        void loginMustMatchThePattern(String login) {
            UserDTO u = valid();
            u.login = login;
            assertEquals(List.of("login"), fields(u));
        }

        @Test
        void passwordMustHaveTenCharacters() {
            UserDTO u = valid();
            u.password = "123456789";
            List<FieldError> errors = errors(u);
            assertEquals(List.of("password"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().contains("10"), errors.get(0).reason());
        }

        @Test
        void passwordMayBeAbsent() {
            UserDTO u = valid();
            u.password = null;
            assertValid(u);
        }

        @Test
        void displayNameIsRequired() {
            UserDTO u = valid();
            u.displayName = null;
            assertEquals(List.of("displayName"), fields(u));
        }
    }

    @Nested
    class Contact {
        private ContactDTO valid() {
            ContactDTO c = new ContactDTO();
            c.name = "Bob Miller";
            c.jobTitle = "Buyer";
            c.phone = "+44 20 7946 0000";
            c.email = "bob@acme.example";
            return c;
        }

        @Test
        void validContactIsAccepted() {
            assertValid(valid());
        }

        @Test
        void badContactFieldsAreEachNamed() {
            ContactDTO c = valid();
            c.name = "";
            c.phone = "call me";
            c.email = "bob";
            c.jobTitle = "j".repeat(101);
            assertEquals(List.of("email", "jobTitle", "name", "phone"), fields(c));
        }
    }

    @Nested
    class Activity {
        @Test
        void missingTypeAndSubjectAreBothNamed() {
            assertEquals(List.of("subject", "type"), fields(new ActivityDTO()));
        }

        @Test
        void blankSubjectIsRejected() {
            ActivityDTO a = new ActivityDTO();
            a.type = ActivityType.CALL;
            a.subject = "  ";
            assertEquals(List.of("subject"), fields(a));
        }

        @Test
        void notesAreLimited() {
            ActivityDTO a = new ActivityDTO();
            a.type = ActivityType.NOTE;
            a.subject = "follow up";
            a.notes = "n".repeat(8000);
            assertValid(a);
            a.notes = "n".repeat(8001);
            assertEquals(List.of("notes"), fields(a));
        }
    }
}
