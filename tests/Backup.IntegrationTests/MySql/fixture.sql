-- Loaded as root into the test server by Support/MariaDbServer.cs. Every object kind mysqldump must
-- carry, and every kind of value that breaks a naive dump or restore.

CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

CREATE TABLE customer (
  id INT PRIMARY KEY AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  note TEXT NULL,
  created DATETIME NULL
) ENGINE=InnoDB;
INSERT INTO customer (name, note, created) VALUES
  ('Zoë 🚀', 'emoji 😀, ñ, 中文, 𝄞', '2024-01-02 03:04:05'),
  ('Null Person', NULL, NULL),
  ('quote''s "double" back\\slash', 'tab\there\nnew line; -- not a comment /* nor this */', '2024-12-31 23:59:59');

-- Reserved words as table and column names.
CREATE TABLE `order` (
  id INT PRIMARY KEY,
  customer_id INT NOT NULL,
  total DECIMAL(10,2) NULL,
  `select` VARCHAR(20) NULL,
  FOREIGN KEY (customer_id) REFERENCES customer(id)
) ENGINE=InnoDB;

CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(200) NOT NULL) ENGINE=InnoDB;

CREATE TABLE attachment (
  id INT PRIMARY KEY,
  body LONGBLOB NULL,
  digest BINARY(16) NULL,
  flags BIT(8) NULL
) ENGINE=InnoDB;
INSERT INTO attachment VALUES
  (1, 0x00FF000A0D5C27225A1A00, UNHEX(MD5('x')), b'10100101'),
  (2, NULL, NULL, NULL),
  (3, REPEAT(0x00, 4096), 0x00000000000000000000000000000000, b'00000000'),
  (4, '', NULL, b'1');

CREATE VIEW customer_totals AS
  SELECT c.id, c.name, SUM(o.total) AS total
  FROM customer c LEFT JOIN `order` o ON o.customer_id = c.id
  GROUP BY c.id, c.name;

DELIMITER //
CREATE TRIGGER order_audit AFTER INSERT ON `order` FOR EACH ROW
BEGIN
  INSERT INTO audit (msg) VALUES (CONCAT('order ', NEW.id));
END//
CREATE PROCEDURE add_order(IN cid INT, IN amount DECIMAL(10,2))
BEGIN
  INSERT INTO `order` (id, customer_id, total) SELECT COALESCE(MAX(id), 0) + 1, cid, amount FROM `order`;
END//
CREATE FUNCTION with_tax(amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC
  RETURN amount * 1.21//
DELIMITER ;

CREATE EVENT nightly_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
  DO DELETE FROM audit WHERE id < 0;

CALL add_order(1, 10.50);
CALL add_order(1, 99.99);
CALL add_order(3, NULL);

-- A database whose name needs quoting everywhere.
CREATE DATABASE `my-db` CHARACTER SET utf8mb4;
USE `my-db`;
CREATE TABLE `group` (id INT PRIMARY KEY, `key` VARCHAR(50) NULL, `desc` TEXT NULL) ENGINE=InnoDB;
INSERT INTO `group` VALUES (1, 'a', 'first 🙂'), (2, NULL, NULL), (3, 'c', '');
CREATE TABLE `order` (id INT PRIMARY KEY, group_id INT NULL, payload BLOB NULL) ENGINE=InnoDB;
INSERT INTO `order` VALUES (1, 1, 0x00), (2, NULL, 0xDEADBEEF00);
CREATE VIEW `group-view` AS SELECT g.id, g.`key` FROM `group` g;
CREATE TRIGGER `order-check` BEFORE INSERT ON `order` FOR EACH ROW SET NEW.group_id = COALESCE(NEW.group_id, 1);

-- Tables --single-transaction cannot snapshot.
CREATE DATABASE legacy;
USE legacy;
CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=MyISAM;
INSERT INTO counters VALUES (1, 10), (2, 20);
CREATE TABLE notes (id INT PRIMARY KEY, txt VARCHAR(100)) ENGINE=Aria;
INSERT INTO notes VALUES (1, 'aria');
CREATE TABLE modern (id INT PRIMARY KEY) ENGINE=InnoDB;

-- Several MiB, so that a dump is still running while a spec inspects or kills it.
CREATE DATABASE bulk;
USE bulk;
CREATE TABLE filler (id INT PRIMARY KEY, txt VARCHAR(1000) NOT NULL) ENGINE=InnoDB;
INSERT INTO filler SELECT seq, REPEAT(CHAR(65 + seq % 26), 1000) FROM seq_1_to_6000;
