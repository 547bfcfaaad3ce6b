"""Titles of papers in the bundled listing, which many tests look up or expect to see."""

MONOFLOW = "MonoFlow: Rethinking Divergence GANs via the Perspective of Wasserstein Gradient Flows"
YOPO = "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle"
STUNET = "ST-UNet: A Spatio-Temporal U-Network for Graph-structured Time Series Modeling"
ADAGCN = "AdaGCN: Adaboosting Graph Convolutional Networks into Deep Models"
SPHERICAL = (
    "Spherical Motion Dynamics: Learning Dynamics of Neural Network with Normalization, Weight Decay, and SGD"
)
