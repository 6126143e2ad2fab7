/** The options every layer takes (LayerArgs), for the option lists of the layers in this folder. */
export const LAYER_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape', 'dtype', 'activityRegularizer'] as const;
