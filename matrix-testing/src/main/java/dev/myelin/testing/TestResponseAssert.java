package dev.myelin.testing;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link TestResponse}; get one from {@link MatrixAssertions#assertThat(TestResponse)}.
 * Failures print the whole body.
 */
public final class TestResponseAssert extends AbstractAssert<TestResponseAssert, TestResponse> {

    TestResponseAssert(TestResponse actual) {
        super(actual, TestResponseAssert.class);
    }

    /** The HTTP status is {@code status}. */
    public TestResponseAssert hasStatus(int status) {
        isNotNull();
        if (actual.status() != status) {
            failWithMessage("expected HTTP %s but got %s: %s", status, actual.status(), actual.body());
        }
        return this;
    }

    /** HTTP 200. */
    public TestResponseAssert isOk() {
        return hasStatus(200);
    }

    /** A Matrix error body with this {@code errcode}, e.g. {@code M_FORBIDDEN}. */
    public TestResponseAssert hasErrcode(String errcode) {
        isNotNull();
        if (!errcode.equals(actual.errcode())) {
            failWithMessage(
                    "expected errcode <%s> but the response was HTTP %s: %s", errcode, actual.status(), actual.body());
        }
        return this;
    }
}
