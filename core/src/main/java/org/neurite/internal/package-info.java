/**
 * Neurite's internals, not API: classes here may change in any release without notice. The JSON reader and
 * writer of the model files lives here; use a JSON library (Jackson, Gson) in applications. When the modules gain
 * descriptors, this package is not exported.
 */
package org.neurite.internal;
