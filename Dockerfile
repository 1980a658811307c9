ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73
FROM ${BASE_IMAGE}

WORKDIR /airbyte/integration_code

COPY setup.py README.md ./
COPY source_linkedin_learning ./source_linkedin_learning
RUN pip install --no-cache-dir .

ENV AIRBYTE_ENTRYPOINT="source-linkedin-learning"
ENTRYPOINT ["source-linkedin-learning"]

LABEL io.airbyte.name=airbyte/source-linkedin-learning
LABEL io.airbyte.version=0.2.0
