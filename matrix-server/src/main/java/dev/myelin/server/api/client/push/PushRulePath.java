package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.push.InvalidPushRuleException;
import dev.myelin.core.push.PushAction;
import dev.myelin.core.push.PushRule;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.util.List;
import java.util.function.Supplier;

/** The {@code {kind}} and {@code {ruleId}} of the push rule paths, and body reading shared by the push rule endpoints. */
final class PushRulePath {
    static final String RULE = "/_matrix/client/v3/pushrules/global/{kind}/{ruleId}";

    private PushRulePath() {}

    /** The kind in the path; M_INVALID_PARAM for anything but the five kinds. */
    static PushRuleKind kind(MatrixRequest request) {
        String kind = request.pathParam("kind");
        return PushRuleKind.parse(kind)
                .orElseThrow(() -> MatrixException.invalidParam(
                        "kind", "must be one of override, underride, sender, room, content"));
    }

    static String ruleId(MatrixRequest request) {
        return request.pathParam("ruleId");
    }

    /** The required {@code actions} of a body. */
    static List<PushAction> actions(JsonNode actions) {
        if (actions == null || actions.isNull()) {
            throw MatrixException.missingParam("actions");
        }
        return parse(() -> PushAction.listFromClient(actions));
    }

    /** A user rule from a {@code PUT} body. */
    static PushRule rule(PushRuleKind kind, String ruleId, ObjectNode body) {
        actions(body.get("actions"));
        return parse(() -> PushRule.fromClient(kind, ruleId, body));
    }

    private static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (InvalidPushRuleException e) {
            throw new MatrixException(400, ErrorCode.INVALID_PARAM, e.getMessage());
        }
    }
}
