/**
 * TensorBoard logs from Neurite's training loop: the {@link org.neurite.tensorboard.TensorBoard} callback, the
 * event files it writes ({@link org.neurite.tensorboard.EventFileWriter}, TFRecord framing in
 * {@link org.neurite.tensorboard.TfRecord}) and a checking reader ({@link org.neurite.tensorboard.EventFileReader}).
 */
package org.neurite.tensorboard;
