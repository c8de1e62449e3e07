package com.onlinedukan.web;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.onlinedukan.web.Problems.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import static com.onlinedukan.web.ProblemTypes.INTERNAL_ERROR;
import static com.onlinedukan.web.ProblemTypes.MALFORMED_REQUEST;
import static com.onlinedukan.web.ProblemTypes.METHOD_NOT_ALLOWED;
import static com.onlinedukan.web.ProblemTypes.NOT_ACCEPTABLE;
import static com.onlinedukan.web.ProblemTypes.NOT_FOUND;
import static com.onlinedukan.web.ProblemTypes.PAYLOAD_TOO_LARGE;
import static com.onlinedukan.web.ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
import static com.onlinedukan.web.ProblemTypes.VALIDATION;

/**
 * RFC 9457 problem details for every error the HTTP API gives, with an {@code errors} list that
 * names each bad field. Internal failures say nothing about the internals.
 * <p>
 * Each kind of error has its problem {@code type}, a URI relative to the service (RFC 9457 resolves
 * it against the request's URI) and documented in {@code docs/problems.md}, one section per type:
 * clients branch on the type, people read the title and detail ({@link ProblemTypes}).
 * <p>
 * A module answers its own exceptions with an advice of its own, ordered before this one: the last
 * word, whose handler of {@code Exception} would otherwise take them.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    /**
     * How Jackson's parser words a member named twice ({@code spring.jackson.read.strict-duplicate-detection}):
     * it has no exception type of its own. {@code OrderApiFuzzTests} fails if the wording changes.
     */
    private static final String DUPLICATE = "Duplicate Object property";

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> new FieldError(e.getField(), String.valueOf(e.getDefaultMessage())))
                .toList();
        return problem(ex, HttpStatus.BAD_REQUEST, VALIDATION, "Invalid request", "The request has invalid fields.",
                errors, headers, request);
    }

    /** A query or path parameter out of its bounds (e.g. a {@code limit} above its maximum). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(e -> new FieldError(String.valueOf(result.getMethodParameter().getParameterName()),
                                String.valueOf(e.getDefaultMessage()))))
                .toList();
        return problem(ex, HttpStatus.BAD_REQUEST, VALIDATION, "Invalid request", "The request has invalid parameters.",
                errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request", "The request has an unknown field.",
                    List.of(new FieldError(path(unknown), "unknown field")), headers, request);
        }
        if (cause instanceof StreamReadException read) {
            String at = readAt(read);
            if (at != null && read instanceof InputCoercionException) {
                return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request",
                        "A number is outside the range its field can hold.",
                        List.of(new FieldError(at, "out of range")), headers, request);
            }
            if (at != null && read.getOriginalMessage().startsWith(DUPLICATE)) {
                return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request",
                        "The request names a field more than once.",
                        List.of(new FieldError(at, "named more than once")), headers, request);
            }
            return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request", "The request body is not valid JSON.",
                    List.of(new FieldError("body", "not valid JSON")), headers, request);
        }
        JacksonException jackson = withPath(ex);
        if (jackson != null) {
            return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request",
                    "A field has a value of the wrong type.",
                    List.of(new FieldError(path(jackson), "wrong type or format")), headers, request);
        }
        return problem(ex, HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request", "The request body is missing or unreadable.",
                List.of(new FieldError("body", "missing or unreadable")), headers, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail malformedParameter(MethodArgumentTypeMismatchException ex) {
        String type = ex.getRequiredType() == null ? "value" : ex.getRequiredType().getSimpleName();
        return Problems.of(HttpStatus.BAD_REQUEST, MALFORMED_REQUEST, "Malformed request",
                "'" + ex.getName() + "' is not a valid " + type + ".",
                List.of(new FieldError(ex.getName(), "not a valid " + type)));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        if (ex instanceof ErrorResponse known) {
            return typed(ex, known.getBody());
        }
        log.error("Request failed", ex);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, "Internal error",
                "The request could not be completed. Nothing was stored; it is safe to retry.");
    }

    /** Every problem Spring MVC makes for us (404, 405, 415, ...) gets its type too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            typed(ex, problem);
        }
        return response;
    }

    /** The problem with its type: the one it was given, or the one for its exception or status. */
    private static ProblemDetail typed(Exception ex, ProblemDetail problem) {
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            URI type = typeOf(ex, problem.getStatus());
            if (type != null) {
                problem.setType(type);
            }
        }
        return problem;
    }

    /** Null: nothing beyond what the status says (RFC 9457's about:blank). */
    private static URI typeOf(Exception ex, int status) {
        if (ex instanceof MethodArgumentNotValidException || ex instanceof HandlerMethodValidationException) {
            return VALIDATION;
        }
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 500 -> INTERNAL_ERROR;
            default -> null;
        };
    }

    private ResponseEntity<Object> problem(Exception ex, HttpStatus status, URI type, String title, String detail,
            List<FieldError> errors, HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(ex, Problems.of(status, type, title, detail, errors), headers, status, request);
    }

    /**
     * The exception in the chain that knows which field it was reading, if one does: a value Jackson
     * read but a type refused (an instant past its range, say) has Jackson's exception above the
     * type's, which is the most specific cause.
     */
    private static JacksonException withPath(Throwable ex) {
        for (Throwable e = ex; e != null && e.getCause() != e; e = e.getCause()) {
            if (e instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                return jackson;
            }
        }
        return null;
    }

    /**
     * Where the parser stood when it stopped ({@code items[0].quantity}), or null at the top: a
     * parser's error carries no databind path, or only the part above the object it was reading.
     */
    private static String readAt(StreamReadException ex) {
        JsonParser parser = ex.processor();
        if (parser == null) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext at = parser.streamReadContext(); at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.push("[" + at.getCurrentIndex() + "]");
            }
            else if (at.currentName() != null) {
                parts.push("." + at.currentName());
            }
        }
        String path = String.join("", parts);
        return path.isEmpty() ? null : path.startsWith(".") ? path.substring(1) : path;
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
