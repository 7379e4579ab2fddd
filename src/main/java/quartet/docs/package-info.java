/**
 * Serves the module docs the build rendered, and FlowPay's gRPC contract beside them.
 */
@NullMarked
package quartet.docs;

import org.jspecify.annotations.NullMarked;
