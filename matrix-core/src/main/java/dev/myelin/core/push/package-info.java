/**
 * Push rules: the rule model ({@link dev.myelin.core.push.PushRule}, {@link dev.myelin.core.push.Ruleset}),
 * the spec's server-default rules ({@link dev.myelin.core.push.DefaultRules}) and a pure evaluator
 * ({@link dev.myelin.core.push.PushEvaluator}) that decides what a user's rules say about one event.
 *
 * <p>Nothing here reads a database: the caller supplies the event and a
 * {@link dev.myelin.core.push.PushContext} (member count, display name, power levels).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules">Push rules</a>
 */
@NullMarked
package dev.myelin.core.push;

import org.jspecify.annotations.NullMarked;
