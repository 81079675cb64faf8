-- "Where is this training image influential?" looks top-k rows up by training image.
CREATE INDEX ix_topk_train_image ON topk (train_image_id, positive, rank);
