/** Runnable examples; {@link org.neurite.examples.Main} is the command line. */
package org.neurite.examples;
