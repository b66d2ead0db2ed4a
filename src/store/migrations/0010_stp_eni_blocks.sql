-- The STP/ENI numbers this device may issue, under the name the rest of Porta uses for them.
ALTER TABLE health_code_blocks RENAME TO stp_eni_blocks;
