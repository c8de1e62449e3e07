package com.onlinedukan.ops.web;

import java.util.Map;
import java.util.Set;

import com.onlinedukan.web.ProblemDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The ops API's answers as the security chain and the controller give them: every operation can
 * answer 401 and 429 (the credential and its throttle), a state change 403 (the cross-site rule),
 * one with parameters or a body 400, one about an id 404; the replays answer 202.
 */
@Component
class OpsApiDocumentation implements OpenApiCustomizer {

    private static final Set<String> REPLAYS = Set.of("/api/ops/notifications/{eventId}/replay",
            "/api/ops/orders/{orderId}/replay", "/api/ops/notifications/replay");

    @Override
    public void customise(OpenAPI api) {
        api.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/ops/")) {
                return;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                ApiResponses responses = operation.getResponses();
                if (REPLAYS.contains(path)) {
                    accepted(path, responses);
                }
                boolean hasInput = operation.getRequestBody() != null
                        || (operation.getParameters() != null && !operation.getParameters().isEmpty());
                if (hasInput) {
                    ProblemDocumentation.declare(responses, "400", "validation",
                            "A parameter or the body is invalid");
                }
                ProblemDocumentation.declare(responses, "401", "unauthorized",
                        "No ops credential, or a wrong one");
                if (entry.getKey() == PathItem.HttpMethod.POST) {
                    ProblemDocumentation.declare(responses, "403", "cross-site-request",
                            "The request comes from another site or is a form post; nothing changed");
                }
                if (path.contains("{")) {
                    ProblemDocumentation.declare(responses, "404", "not-found",
                            "No such notification or order");
                }
                ProblemDocumentation.declare(responses, "429", "too-many-logins",
                        "Too many failed logins from this address; retry later");
            }
        });
    }

    /** A replay is accepted, not done: it answers 202 (a bulk dry run, which only counts, 200). */
    private static void accepted(String path, ApiResponses responses) {
        ApiResponse ok = responses.get("200");
        if (ok == null) {
            return;
        }
        responses.addApiResponse("202", new ApiResponse().description("Accepted: the notifications are due again")
                .content(ok.getContent()));
        if (path.equals("/api/ops/notifications/replay")) {
            ok.description("A dry run: the count a replay would touch, nothing changed");
        }
        else {
            responses.remove("200");
        }
    }
}
