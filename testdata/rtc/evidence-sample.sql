-- rtcsim seed for the evidence schema (lync2013-evidence and its unsafe variant): the users and contact lists of
-- sample.sql, stored as the evidence says a real server stores them. Group and contact display names are
-- VARBINARY holding UTF-8 (0x7E is '~'; non-ASCII and a comma included); the name in each comment is the text.
-- A test (internal/rtcsim) loads sample.sql into lync2013 and this file into lync2013-evidence and checks that
-- the contact tables hold the same text, so that an export of either gives the same CSV.
--
-- Users (domain foo.com), as in sample.sql:
--   1001 ann    migrating (Enabled 0: the disable has replicated): rows in every table, UserNote included
--   1002 bob    migrating: has ann on his list
--   1003 carol  migrating: a contact in no group
--   1004 dave   stays on Lync (Enabled 1): has ann and bob on his list, ann in his containers, delegates, subscribers
--   1005 erin   an empty contact list
--   1006 Frank.Muller  mixed-case address, non-ASCII and comma in names (CSV quoting)

INSERT INTO dbo.Resource (ResourceId, UserAtHost) VALUES
    (1001, N'ann@foo.com'),
    (1002, N'bob@foo.com'),
    (1003, N'carol@foo.com'),
    (1004, N'dave@foo.com'),
    (1005, N'erin@foo.com'),
    (1006, N'Frank.Muller@Foo.com');

INSERT INTO dbo.ResourceDirectory (ResourceId, UserPrincipalName, InsertTime, UpdateTime, Enabled, SmtpUserAtHost, AdDisplayName) VALUES
    (1001, N'ann@foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 0, N'ann@foo.com', N'Ann Archer'),
    (1002, N'bob@foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 0, N'bob@foo.com', N'Bob Baker'),
    (1003, N'carol@foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 0, N'carol@foo.com', N'Carol Cole'),
    (1004, N'dave@foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 1, N'dave@foo.com', N'Dave Dunn'),
    (1005, N'erin@foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 0, N'erin@foo.com', N'Erin Ezra'),
    (1006, N'Frank.Muller@Foo.com', '2013-02-14 10:00:00', '2024-03-01 09:00:00', 0, N'Frank.Muller@Foo.com', N'Frank Müller');

-- Groups: 0x7E ('~') is the default group; ann's group 3 is a distribution group (ExternalUri set).
INSERT INTO dbo.ContactGroup (OwnerId, GroupNumber, DisplayName, ExternalUri) VALUES
    (1001, 1, 0x7E, NULL),                                                 -- ~
    (1001, 2, 0x5465616D, NULL),                                           -- Team
    (1001, 3, 0x53616C657320444C, 0x73616C657340666F6F2E636F6D),           -- Sales DL, sales@foo.com
    (1002, 1, 0x7E, NULL),                                                 -- ~
    (1002, 2, 0x467269656E6473, NULL),                                     -- Friends
    (1003, 1, 0x7E, NULL),                                                 -- ~
    (1004, 1, 0x7E, NULL),                                                 -- ~
    (1004, 2, 0x436F6C6C656167756573, NULL),                               -- Colleagues
    (1006, 1, 0x7E, NULL),                                                 -- ~
    (1006, 2, 0x53616C65732C20454D4541, NULL);                             -- Sales, EMEA

INSERT INTO dbo.Contact (OwnerId, BuddyId, DisplayName, SubscribePresence) VALUES
    (1001, 1001, 0x4D65, 1),                                               -- Me
    (1001, 1002, 0x426F622042, 1),                                         -- Bob B
    (1001, 1003, NULL, 1),                                                 -- no name
    (1001, 1004, 0x44617665, 0),                                           -- Dave
    (1002, 1001, 0x416E6E, 1),                                             -- Ann
    (1002, 1003, 0x4361726F6C, 1),                                         -- Carol
    (1003, 1004, 0x446176652044, 1),                                       -- Dave D
    (1004, 1001, 0x416E6E2041, 1),                                         -- Ann A
    (1004, 1002, 0x426F62, 1),                                             -- Bob
    (1006, 1001, 0x416E6E202274686520626F73732220417263686572, 1),         -- Ann "the boss" Archer
    (1006, 1004, 0x446176652044C3BC6E6E, 1);                               -- Dave Dünn

-- ann-bob is in two groups; carol's contact dave is in none (goes to the default group on export).
INSERT INTO dbo.ContactGroupAssoc (OwnerId, BuddyId, GroupNumber) VALUES
    (1001, 1001, 1),
    (1001, 1002, 1),
    (1001, 1002, 2),
    (1001, 1003, 2),
    (1001, 1004, 1),
    (1002, 1001, 2),
    (1002, 1003, 1),
    (1004, 1001, 2),
    (1004, 1002, 1),
    (1006, 1001, 2),
    (1006, 1004, 2);

INSERT INTO dbo.HomedResource (ResourceId, Unavailable, VersionContact) VALUES
    (1001, 0, 12), (1002, 0, 3), (1003, 0, 1), (1004, 0, 7), (1005, 0, 0), (1006, 0, 2);

-- Delete-plan tables: ann (1001) owns rows everywhere; dave (1004) owns rows that name ann and must stay.
INSERT INTO dbo.Container (OwnerId, ContainerNum, Version) VALUES
    (1001, 100, 3), (1001, 200, 1), (1004, 100, 2);

INSERT INTO dbo.ContainerMemberUser (OwnerId, ContainerNum, MemberId) VALUES
    (1001, 100, 1002), (1004, 100, 1001);

INSERT INTO dbo.CachedContainerMember (OwnerId, ContainerNum, MemberId, CachedAt) VALUES
    (1001, 100, 1002, '2024-03-01 09:30:00'), (1001, 200, 1004, NULL), (1004, 100, 1001, NULL);

INSERT INTO dbo.PromptedSubscriber (OwnerId, SubscriberId, PromptedAt) VALUES
    (1001, 1002, '2024-03-01 09:30:00'), (1004, 1001, '2024-03-02 10:00:00');

INSERT INTO dbo.Delegate (OwnerId, DelegateId, DelegateType) VALUES
    (1001, 1002, 1), (1004, 1001, 1);

INSERT INTO dbo.ConferenceInvitee (ConferenceId, EnterpriseId, InviteeRole) VALUES
    (7001, 1001, 1), (7001, 1004, 0), (7002, 1004, 1);

INSERT INTO dbo.UserPolicy (ResourceId, PolicyType, PolicyInstance) VALUES
    (1001, 1, '6F9619FF-8B86-D011-B42D-00C04FC964FF'), (1001, 2, NULL), (1004, 1, NULL);

INSERT INTO dbo.ResourcePhone (ResourceId, PhoneNum) VALUES
    (1001, N'+15551230001'), (1001, N'tel:+15551230099'), (1004, N'+15551230004');

-- RtcItem.ItemId is an IDENTITY: explicit values need SET IDENTITY_INSERT, as on SQL Server.
SET IDENTITY_INSERT dbo.RtcItem ON;
INSERT INTO dbo.RtcItem (ItemId, ResourceId, ItemType, ItemData, LastModified) VALUES
    (1, 1001, 1, 0x0A0B0C, '2024-03-01 09:30:00.123'),
    (2, 1001, 2, NULL, '2024-03-01 09:31:00'),
    (3, 1004, 1, 0x01, '2024-03-01 09:32:00');
SET IDENTITY_INSERT dbo.RtcItem OFF;

INSERT INTO dbo.PUIDDirectory (ResourceId, PUID, DeviceId) VALUES
    (1001, 9000000001, NULL), (1004, 9000000004, '0E984725-C51C-4BF4-9960-E1C80E27ABA0');

INSERT INTO dbo.CategoryDef (CategoryId, Name) VALUES
    (1, N'contactCard'), (3, N'state'), (4, N'note');

INSERT INTO dbo.PublishedStaticInstance (PublisherId, CategoryId, ContainerNum, InstanceNum, Data) VALUES
    (1001, 3, 100, 1, 0x3C7374617465202F3E),
    (1001, 4, 100, 1, 0x3C6E6F74652F3E),
    (1004, 3, 100, 1, NULL);

-- The table the product has never heard of: NoteId (IDENTITY), NoteSize (computed) and Version (rowversion)
-- are the server's to write.
INSERT INTO dbo.UserNote (OwnerId, NoteText, CreatedAt) VALUES
    (1001, 0x4D65657420426F62, '2024-03-01 09:30:00'),
    (1001, NULL, '2024-03-01 09:31:00'),
    (1004, 0x43616C6C20416E6E, '2024-03-02 10:00:00');
